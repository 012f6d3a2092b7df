package dev.prefalign.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Llama-family decoder ({@code LlamaForCausalLM}, {@code Qwen2ForCausalLM}) written as one readable forward pass over
 * named parameters, in the spirit of nanoGPT. Shapes: N sequences, T positions, H hidden, Q query heads, K kv heads,
 * G = Q/K query heads per kv head, D head dim, V vocabulary.
 *
 * <p>Activations always come first in binary ops so that their results attach to the activation's manager; callers run
 * a forward pass inside an {@link ai.djl.ndarray.NDScope} so that every temporary is freed at the end of the step.
 */
public final class CausalLm implements AutoCloseable {
    private final ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final List<LayerWeights> layers = new ArrayList<>();
    private final RotaryCache rotary;
    /** The dtype activations and matmuls run in; parameters stay float32 (the master weights). */
    private DataType compute = DataType.FLOAT32;

    /** Takes ownership of the manager that holds the parameters. */
    public CausalLm(ModelConfig config, NDManager manager, Map<String, NDArray> parameters) {
        this.config = config;
        this.manager = manager;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        for (int i = 0; i < config.numLayers(); i++) {
            layers.add(LayerWeights.of(this.parameters, i, config.qkvBias()));
        }
        this.rotary = new RotaryCache(config, manager);
    }

    public ModelConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    /** Parameters by Hugging Face tensor name, in transformers' order. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * Mixed precision: with FLOAT16, weights are cast on use (differentiably, so gradients land on the float32
     * parameters), activations and matmuls run in float16, and RMSNorm statistics, attention softmax and the final
     * log-softmax run in float32, as transformers does under autocast.
     */
    public void setComputeType(DataType type) {
        if (type != DataType.FLOAT32 && type != DataType.FLOAT16) {
            throw new IllegalArgumentException("compute type must be float32 or float16, got " + type);
        }
        this.compute = type;
    }

    public DataType computeType() {
        return compute;
    }

    private NDArray c(NDArray weight) {
        return weight == null ? null : Casts.to(weight, compute);
    }

    public void setTrainable(boolean trainable) {
        parameters.values().forEach(p -> p.setRequiresGradient(trainable));
    }

    /** Final hidden states [N, T, H] for right-padded token ids [N, T] (int64). */
    public NDArray hiddenStates(NDArray inputIds) {
        long t = inputIds.getShape().get(1);
        NDArray x = Embedding.embedding(inputIds, c(param(TensorNames.EMBED)), SparseFormat.DENSE).singletonOrThrow();
        RotaryCache.Tables rope = rotary.tables((int) t, compute);
        for (LayerWeights layer : layers) {
            x = x.add(attention(rmsNorm(x, layer.inputNorm()), layer, rope));
            x = x.add(mlp(rmsNorm(x, layer.postAttentionNorm()), layer));
        }
        return rmsNorm(x, param(TensorNames.FINAL_NORM));
    }

    /** Logits [.., V] of hidden states [.., H], in the compute dtype. */
    public NDArray logits(NDArray hidden) {
        NDArray head = config.tieWordEmbeddings() ? param(TensorNames.EMBED) : param(TensorNames.LM_HEAD);
        return Linear.linear(hidden, c(head)).singletonOrThrow();
    }

    /** Log-probabilities [.., V], always float32: a float16 log-softmax over a large vocabulary loses too much. */
    public NDArray logProbabilities(NDArray hidden) {
        NDArray logits = logits(hidden);
        return compute == DataType.FLOAT32 ? logits.logSoftmax(-1)
                : JniUtils.logSoftmax((PtNDArray) logits, -1, DataType.FLOAT32);
    }

    public NDArray forward(NDArray inputIds) {
        return logits(hiddenStates(inputIds));
    }

    private NDArray attention(NDArray x, LayerWeights w, RotaryCache.Tables rope) {
        Shape s = x.getShape();
        long n = s.get(0);
        long t = s.get(1);
        int d = config.headDim();
        int kvHeads = config.numKvHeads();
        int groups = config.kvGroups();
        // One fused projection for q, k and v (a wider matmul runs closer to the engine's peak than three narrow ones),
        // then split: [N,T,(Q+2K)*D] -> q [N,Q,T,D], k and v [N,K,T,D].
        long qWidth = (long) config.numHeads() * d;
        long kvWidth = (long) kvHeads * d;
        NDList qkv = Linear.linear(x, c(w.qkv()), c(w.qkvBias())).singletonOrThrow()
                .split(new long[] {qWidth, qWidth + kvWidth}, 2);
        NDArray q = qkv.get(0).reshape(n, t, config.numHeads(), d).transpose(0, 2, 1, 3);
        NDArray k = qkv.get(1).reshape(n, t, kvHeads, d).transpose(0, 2, 1, 3);
        NDArray v = qkv.get(2).reshape(n, t, kvHeads, d).transpose(0, 2, 1, 3);
        q = rope.apply(q);
        k = rope.apply(k);
        // Grouped-query attention by broadcasting: [N,K,G,T,D] x [N,K,1,D,T] -> [N,K,G,T,T]; no kv copies.
        NDArray q5 = q.reshape(n, kvHeads, groups, t, d);
        NDArray k5 = k.reshape(n, kvHeads, 1, t, d).transpose(0, 1, 2, 4, 3);
        NDArray v5 = v.reshape(n, kvHeads, 1, t, d);
        NDArray scores = Scalars.mul(q5.matMul(k5), 1.0 / Math.sqrt(d)).add(rope.causalMask());
        NDArray probs = compute == DataType.FLOAT32 ? scores.softmax(-1)
                : Casts.to(JniUtils.softmax((PtNDArray) scores, -1, DataType.FLOAT32), compute);
        NDArray out = probs.matMul(v5); // [N,K,G,T,D]
        out = out.reshape(n, config.numHeads(), t, d).transpose(0, 2, 1, 3).reshape(n, t, (long) config.numHeads() * d);
        return Linear.linear(out, c(w.o())).singletonOrThrow();
    }

    private NDArray mlp(NDArray x, LayerWeights w) {
        // gate and up in one matmul, split in half: [N,T,2I] -> [N,T,I] twice
        NDList gateUp = Linear.linear(x, c(w.gateUp())).singletonOrThrow().split(2, 2);
        NDArray gate = gateUp.get(0);
        NDArray up = gateUp.get(1);
        // SwiGLU: down(silu(gate) * up)
        NDArray act = gate.mul(Activation.sigmoid(gate)).mul(up);
        return Linear.linear(act, c(w.down())).singletonOrThrow();
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        // Statistics in float32 whatever the compute dtype (squares of large activations overflow float16).
        NDArray x32 = Casts.to(x, DataType.FLOAT32);
        NDArray rms = Scalars.add(x32.square().mean(new int[] {-1}, true), config.rmsNormEps()).sqrt();
        return Casts.to(x32.div(rms), compute).mul(c(weight));
    }

    private NDArray param(String name) {
        NDArray p = parameters.get(name);
        if (p == null) {
            throw new IllegalStateException("model has no tensor " + name);
        }
        return p;
    }

    /** A frozen deep copy on its own manager, for the DPO reference model. */
    public CausalLm frozenCopy() {
        NDManager copyManager = manager.getParentManager().newSubManager();
        Map<String, NDArray> copies = new LinkedHashMap<>();
        parameters.forEach((name, p) -> {
            NDArray c = p.duplicate();
            c.attach(copyManager);
            c.setRequiresGradient(false);
            copies.put(name, c);
        });
        return new CausalLm(config, copyManager, copies);
    }

    public long parameterCount() {
        return parameters.values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    public DataType dataType() {
        return param(TensorNames.EMBED).getDataType();
    }

    @Override
    public void close() {
        manager.close();
    }

    /** The tensors of one decoder layer, looked up once. Biases are null where the architecture has none. */
    record LayerWeights(NDArray inputNorm, NDArray q, NDArray qBias, NDArray k, NDArray kBias, NDArray v,
            NDArray vBias, NDArray o, NDArray postAttentionNorm, NDArray gate, NDArray up, NDArray down) {

        /**
         * [q; k; v] stacked along the output axis. Built in every forward pass from the parameters themselves, so
         * gradients flow back to them and the optimiser and checkpoints keep Hugging Face's separate tensors.
         */
        NDArray qkv() {
            return NDArrays.concat(new NDList(q, k, v), 0);
        }

        NDArray qkvBias() {
            return qBias == null ? null : NDArrays.concat(new NDList(qBias, kBias, vBias), 0);
        }

        NDArray gateUp() {
            return NDArrays.concat(new NDList(gate, up), 0);
        }

        static LayerWeights of(Map<String, NDArray> p, int i, boolean bias) {
            return new LayerWeights(
                    require(p, TensorNames.layer(i, "input_layernorm.weight")),
                    require(p, TensorNames.layer(i, "self_attn.q_proj.weight")),
                    bias ? require(p, TensorNames.layer(i, "self_attn.q_proj.bias")) : null,
                    require(p, TensorNames.layer(i, "self_attn.k_proj.weight")),
                    bias ? require(p, TensorNames.layer(i, "self_attn.k_proj.bias")) : null,
                    require(p, TensorNames.layer(i, "self_attn.v_proj.weight")),
                    bias ? require(p, TensorNames.layer(i, "self_attn.v_proj.bias")) : null,
                    require(p, TensorNames.layer(i, "self_attn.o_proj.weight")),
                    require(p, TensorNames.layer(i, "post_attention_layernorm.weight")),
                    require(p, TensorNames.layer(i, "mlp.gate_proj.weight")),
                    require(p, TensorNames.layer(i, "mlp.up_proj.weight")),
                    require(p, TensorNames.layer(i, "mlp.down_proj.weight")));
        }

        private static NDArray require(Map<String, NDArray> p, String name) {
            NDArray a = p.get(name);
            if (a == null) {
                throw new IllegalArgumentException("missing tensor " + name);
            }
            return a;
        }
    }

}
