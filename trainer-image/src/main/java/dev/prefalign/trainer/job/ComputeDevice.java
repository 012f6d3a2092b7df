package dev.prefalign.trainer.job;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.prefalign.api.v1alpha1.spec.Precision;

/**
 * Where and in which precision a job computes. DJL 0.36 cannot hold bfloat16 tensors, so weights and activations are
 * float32 everywhere today; a BF16/F16 checkpoint is widened on load and narrowed back on export.
 */
public record ComputeDevice(Device device, String precisionNote) {

    public static ComputeDevice select(Precision precision) throws JobException {
        boolean gpu = Engine.getEngine("PyTorch").getGpuCount() > 0;
        Device device = gpu ? Device.gpu() : Device.cpu();
        return switch (precision) {
            case AUTO, FP32 -> new ComputeDevice(device, "fp32 on " + (gpu ? "GPU" : "CPU")
                    + (precision == Precision.AUTO ? " (precision: auto)" : ""));
            case BF16 -> throw new JobException("spec.training.precision: bf16 is not available: the DJL engine "
                    + "cannot hold bfloat16 tensors; use auto or fp32 (bf16 checkpoints still load and export as bf16)");
            case FP16 -> throw new JobException("spec.training.precision: fp16 mixed precision is not implemented in "
                    + "this trainer version; use auto or fp32");
        };
    }
}
