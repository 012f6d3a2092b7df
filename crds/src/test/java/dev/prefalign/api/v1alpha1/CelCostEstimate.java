package dev.prefalign.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cost the API server estimates for a CRD validation rule when the CRD is created, for the constructs this CRD's
 * rules use. An API server refuses a CRD whose rule is estimated over 10,000,000 units (100,000,000 for all rules
 * together, each multiplied by how many list items it runs for), so a rule that compares unbounded values would make
 * the whole CRD uninstallable; this test helper catches that here instead of in a cluster.
 *
 * <p>The model follows cel-go's checker cost estimator and Kubernetes' schema-to-CEL type sizes, as read from their
 * sources: reading a variable or a field costs 1, as does a presence test or any constant-time function; {@code &&},
 * {@code ||} and {@code ?:} cost their operands (the dearer branch for {@code ?:}); comparing two values costs a tenth
 * of the smaller one's maximum size. A string's maximum size is its {@code maxLength} times 4 (bytes per code point),
 * its longest enum value, or the 3 MiB request limit when unbounded; an object's size is 0 (equality of objects is
 * charged by their number of entries only at run time); lists and maps count their items ({@code maxItems} or what
 * fits in a request); numbers and booleans have size 0.
 */
final class CelCostEstimate {

    /** Per-rule limit of the API server (apiextensions StaticEstimatedCostLimit). */
    static final long RULE_LIMIT = 10_000_000L;
    /** Limit of all rules of a CRD together (StaticEstimatedCRDCostLimit). */
    static final long CRD_LIMIT = 100_000_000L;

    private static final long MAX_REQUEST_BYTES = 3L * 1024 * 1024;
    /** cel-go sizes what it cannot bound as the largest unsigned 64-bit number; any rule comparing one fails here. */
    private static final long UNKNOWN = Long.MAX_VALUE / 16;

    private final JsonNode ruleSchema;

    private CelCostEstimate(JsonNode ruleSchema) {
        this.ruleSchema = ruleSchema;
    }

    /** The estimated maximum cost of the rule at its node of the schema. */
    static long of(CelRules.Rule rule, JsonNode rootSchema) {
        JsonNode node = rootSchema;
        for (String key : rule.path()) {
            node = node.path("properties").path(key);
        }
        return new CelCostEstimate(node).cost(rule.ast().getExpr());
    }

    private long cost(CelExpr e) {
        return switch (e.getKind()) {
            case CONSTANT -> 0;
            case IDENT -> 1;
            case SELECT -> 1 + cost(e.select().operand());
            case CALL -> callCost(e.call());
            default -> throw new AssertionError("no cost model for " + e.getKind() + " in " + e
                    + "; extend CelCostEstimate before using it in a rule");
        };
    }

    private long callCost(CelExpr.CelCall call) {
        long args = call.target().map(this::cost).orElse(0L);
        for (CelExpr arg : call.args()) {
            args += cost(arg);
        }
        return switch (call.function()) {
            case "_&&_", "_||_" -> args;
            case "_?_:_" -> cost(call.args().get(0)) + Math.max(cost(call.args().get(1)), cost(call.args().get(2)));
            case "_==_", "_!=_" -> args + ceilTenth(Math.min(size(call.args().get(0)), size(call.args().get(1))));
            default -> args + 1;
        };
    }

    private static long ceilTenth(long size) {
        return (size + 9) / 10;
    }

    /** The maximum size of a value: a constant's own, or the schema's bound of the field a selection reads. */
    private long size(CelExpr e) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT) {
            CelConstant c = e.constant();
            return c.getKind() == CelConstant.Kind.STRING_VALUE ? c.stringValue().length() : 1;
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.SELECT && e.select().testOnly()) {
            return 1; // has() is a boolean
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL) {
            CelExpr.CelCall call = e.call();
            return switch (call.function()) {
                case "_?_:_" -> Math.max(size(call.args().get(1)), size(call.args().get(2)));
                case "_&&_", "_||_", "!_", "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_" -> 1;
                default -> UNKNOWN;
            };
        }
        return schemaAt(e).map(CelCostEstimate::maxElements).orElse(UNKNOWN);
    }

    /** The schema of {@code self.a.b} or {@code oldSelf.a.b}; empty for anything else (sized as unknown). */
    private Optional<JsonNode> schemaAt(CelExpr e) {
        List<String> fields = new ArrayList<>();
        CelExpr current = e;
        while (current.getKind() == CelExpr.ExprKind.Kind.SELECT && !current.select().testOnly()) {
            fields.add(0, current.select().field());
            current = current.select().operand();
        }
        if (current.getKind() != CelExpr.ExprKind.Kind.IDENT) {
            return Optional.empty();
        }
        String root = current.ident().name();
        if (!root.equals("self") && !root.equals("oldSelf")) {
            return Optional.empty();
        }
        JsonNode node = ruleSchema;
        for (String field : fields) {
            node = node.path("properties").path(field);
        }
        return node.isMissingNode() ? Optional.empty() : Optional.of(node);
    }

    private static long maxElements(JsonNode schema) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return schema.has("maxLength") ? schema.get("maxLength").asLong() * 4 : MAX_REQUEST_BYTES - 2;
        }
        return switch (schema.path("type").asText()) {
            case "string" -> {
                if (schema.has("maxLength")) {
                    yield schema.get("maxLength").asLong() * 4;
                }
                if (schema.has("enum")) {
                    long longest = 0;
                    for (JsonNode value : schema.get("enum")) {
                        longest = Math.max(longest, value.asText().length());
                    }
                    yield longest;
                }
                yield MAX_REQUEST_BYTES - 2;
            }
            case "array" -> schema.has("maxItems") ? schema.get("maxItems").asLong() : (MAX_REQUEST_BYTES - 2) / 3;
            case "object" -> schema.has("additionalProperties")
                    ? (schema.has("maxProperties") ? schema.get("maxProperties").asLong() : (MAX_REQUEST_BYTES - 2) / 8)
                    : 0;
            default -> 0;
        };
    }
}
