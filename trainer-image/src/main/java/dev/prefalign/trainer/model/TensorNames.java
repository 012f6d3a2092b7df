package dev.prefalign.trainer.model;

import java.util.ArrayList;
import java.util.List;

/** Hugging Face's tensor names for Llama-shaped decoders: one place, used for loading, saving and the optimiser. */
public final class TensorNames {
    public static final String EMBED = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    private TensorNames() {
    }

    public static String layer(int i, String suffix) {
        return "model.layers." + i + "." + suffix;
    }

    /** Every trainable tensor of the config, in the order transformers lists them. */
    public static List<String> all(ModelConfig c) {
        List<String> names = new ArrayList<>();
        names.add(EMBED);
        for (int i = 0; i < c.numLayers(); i++) {
            names.add(layer(i, "input_layernorm.weight"));
            for (String p : List.of("q_proj", "k_proj", "v_proj")) {
                names.add(layer(i, "self_attn." + p + ".weight"));
                if (c.qkvBias()) {
                    names.add(layer(i, "self_attn." + p + ".bias"));
                }
            }
            names.add(layer(i, "self_attn.o_proj.weight"));
            names.add(layer(i, "post_attention_layernorm.weight"));
            names.add(layer(i, "mlp.gate_proj.weight"));
            names.add(layer(i, "mlp.up_proj.weight"));
            names.add(layer(i, "mlp.down_proj.weight"));
        }
        names.add(FINAL_NORM);
        if (!c.tieWordEmbeddings()) {
            names.add(LM_HEAD);
        }
        return names;
    }

    /** The shape transformers gives each tensor ({@code [out, in]} for linear weights). */
    public static long[] shape(ModelConfig c, String name) {
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        if (name.equals(EMBED) || name.equals(LM_HEAD)) {
            return new long[] {c.vocabSize(), h};
        }
        if (name.endsWith("norm.weight")) {
            return new long[] {h};
        }
        if (name.endsWith("q_proj.weight")) {
            return new long[] {q, h};
        }
        if (name.endsWith("k_proj.weight") || name.endsWith("v_proj.weight")) {
            return new long[] {kv, h};
        }
        if (name.endsWith("q_proj.bias")) {
            return new long[] {q};
        }
        if (name.endsWith("k_proj.bias") || name.endsWith("v_proj.bias")) {
            return new long[] {kv};
        }
        if (name.endsWith("o_proj.weight")) {
            return new long[] {h, q};
        }
        if (name.endsWith("gate_proj.weight") || name.endsWith("up_proj.weight")) {
            return new long[] {c.intermediateSize(), h};
        }
        if (name.endsWith("down_proj.weight")) {
            return new long[] {h, c.intermediateSize()};
        }
        throw new IllegalArgumentException("unknown tensor " + name);
    }

    /**
     * Whether weight decay applies, as in Hugging Face's Trainer: not to biases nor to normalisation weights.
     */
    public static boolean decays(String name) {
        return !name.endsWith(".bias") && !name.endsWith("norm.weight");
    }
}
