package dev.prefalign.trainer.job;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import dev.prefalign.api.v1alpha1.spec.Precision;

/**
 * Where and in which precision a job computes. Parameters and optimiser state are always float32 (the master
 * weights). {@code auto} means float16 mixed precision with dynamic loss scaling on a GPU and float32 on a CPU.
 * DJL 0.36 cannot hold bfloat16 tensors, so {@code bf16} is refused; a BF16 checkpoint is still widened on load and
 * written back as BF16.
 */
public record ComputeDevice(Device device, DataType compute, String precisionNote) {

    public static ComputeDevice select(Precision precision) throws JobException {
        boolean gpu = Engine.getEngine("PyTorch").getGpuCount() > 0;
        Device device = gpu ? Device.gpu() : Device.cpu();
        String where = gpu ? "GPU" : "CPU";
        return switch (precision) {
            case AUTO -> gpu
                    ? new ComputeDevice(device, DataType.FLOAT16, "fp16 mixed precision on GPU (precision: auto; "
                            + "float32 master weights, dynamic loss scaling)")
                    : new ComputeDevice(device, DataType.FLOAT32, "fp32 on CPU (precision: auto)");
            case FP32 -> new ComputeDevice(device, DataType.FLOAT32, "fp32 on " + where);
            case FP16 -> new ComputeDevice(device, DataType.FLOAT16, "fp16 mixed precision on " + where
                    + " (float32 master weights, dynamic loss scaling)" + (gpu ? "" : "; slow on a CPU"));
            case BF16 -> throw new JobException("spec.training.precision: bf16 is not available: the DJL engine "
                    + "cannot hold bfloat16 tensors; use auto (fp16 mixed precision on GPU) or fp32 "
                    + "(bf16 checkpoints still load and export as bf16)");
        };
    }
}
