package dev.prefalign.trainer.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefalign.trainer.batch.SequenceBatch;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.tokens.TokenizedPair;
import dev.prefalign.trainer.train.DataOrder;
import dev.prefalign.trainer.train.ReferenceSource;
import dev.prefalign.trainer.loss.ReferenceLogps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code precomputeReferenceLogProbs}: the reference model scores every pair once, the values are stored on the job's
 * volume (keyed by a fingerprint of the tokenized data, so a restarted job reuses them and a changed dataset does
 * not), and the reference weights can be freed before training starts.
 */
public final class ReferencePrecompute {
    private static final Logger LOG = Logger.getLogger(ReferencePrecompute.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferencePrecompute() {
    }

    public static ReferenceSource.Precomputed load(Path file, List<TokenizedPair> pairs, CausalLm reference,
            int batchSize, int padId) throws IOException {
        String fingerprint = fingerprint(pairs, reference);
        if (Files.isRegularFile(file)) {
            JsonNode stored = JSON.readTree(file.toFile());
            if (fingerprint.equals(stored.path("fingerprint").asText())) {
                LOG.info("reusing reference log-probs from " + file);
                return new ReferenceSource.Precomputed(doubles(stored.get("chosen")), doubles(stored.get("rejected")));
            }
        }
        ReferenceSource.Precomputed computed = compute(pairs, reference, batchSize, padId);
        ObjectNode out = JSON.createObjectNode();
        out.put("fingerprint", fingerprint);
        out.putPOJO("chosen", computed.chosen());
        out.putPOJO("rejected", computed.rejected());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), out);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return computed;
    }

    static ReferenceSource.Precomputed compute(List<TokenizedPair> pairs, CausalLm reference, int batchSize,
            int padId) {
        double[] chosen = new double[pairs.size()];
        double[] rejected = new double[pairs.size()];
        ReferenceSource.Live live = new ReferenceSource.Live(reference);
        int[] order = new DataOrder(pairs.size(), false, 0).epoch(0);
        for (int k = 0; k * batchSize < order.length; k++) {
            int[] idx = DataOrder.microBatch(order, k, batchSize);
            List<TokenizedPair> selected = new ArrayList<>();
            for (int i : idx) {
                selected.add(pairs.get(i));
            }
            ReferenceLogps r = live.logps(idx, SequenceBatch.ofPairs(selected, padId));
            for (int j = 0; j < idx.length; j++) {
                chosen[idx[j]] = r.chosen()[j];
                rejected[idx[j]] = r.rejected()[j];
            }
        }
        return new ReferenceSource.Precomputed(chosen, rejected);
    }

    private static String fingerprint(List<TokenizedPair> pairs, CausalLm reference) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(reference.config().json().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            // A cheap summary of the weights, so that another reference model with the same config does not match.
            for (var p : reference.parameters().values()) {
                try (var sum = p.sum()) {
                    d.update(Float.toString(sum.getFloat()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            for (TokenizedPair p : pairs) {
                for (int[] ids : new int[][] {p.prompt(), p.chosen(), p.rejected()}) {
                    for (int id : ids) {
                        d.update((byte) (id >>> 24));
                        d.update((byte) (id >>> 16));
                        d.update((byte) (id >>> 8));
                        d.update((byte) id);
                    }
                    d.update((byte) 0xff);
                }
            }
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
