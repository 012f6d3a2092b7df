package dev.prefalign.trainer.experiment;

import dev.prefalign.api.experiment.ExperimentSpecs;
import dev.prefalign.api.experiment.GridAxis;
import dev.prefalign.api.experiment.YamlLocations;
import dev.prefalign.api.manifest.FieldPaths;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.prefalign.api.manifest.ManifestException;
import dev.prefalign.api.manifest.ManifestProblem;
import dev.prefalign.trainer.evaluation.EvaluationSettings;
import dev.prefalign.trainer.evaluation.Judges;
import dev.prefalign.trainer.evaluation.RankBy;
import dev.prefalign.trainer.evaluation.RewardModelJudge;
import dev.prefalign.trainer.evaluation.RewardModelSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a PreferenceAlignmentExperiment file and checks its own fields (everything but the job specs, which
 * {@link dev.prefalign.api.experiment.ExperimentPlanner} checks run by run). Every problem is reported at once
 * with file, line and field.
 */
public final class ExperimentFiles {
    private static final List<String> TOP_LEVEL = List.of("apiVersion", "kind", "metadata", "spec");
    private static final List<String> METADATA = List.of("name", "namespace", "labels", "annotations");
    private static final List<String> SPEC = List.of("base", "grid", "variations", "evaluation", "maxConcurrent");
    private static final List<String> EVALUATION = List.of("prompts", "maxNewTokens", "rules", "judge", "rankBy",
            "rewardModel");
    private static final List<String> REWARD_MODEL = List.of("source", "maxLength");

    static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                    .build())
            .build();

    private ExperimentFiles() {
    }

    public static Experiment read(Path file) throws ManifestException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ManifestException(file.toString(), new ManifestProblem("", 0, 0,
                    "cannot read the experiment file: " + e), e);
        }
        return parse(text, file.toString());
    }

    public static Experiment parse(String text, String origin) throws ManifestException {
        JsonNode root = readSingleDocument(text, origin);
        YamlLocations at = YamlLocations.of(YAML, text);
        List<ManifestProblem> problems = new ArrayList<>();
        if (!root.isObject()) {
            throw new ManifestException(origin, at.problem("", "the document must be a mapping with apiVersion, "
                    + "kind, metadata and spec"));
        }
        unknownKeys(root, "", TOP_LEVEL, at, problems);
        expectText(root, "apiVersion", Experiment.API_VERSION, at, problems);
        expectText(root, "kind", Experiment.KIND, at, problems);
        if (!problems.isEmpty()) {
            throw new ManifestException(origin, problems); // another kind's fields would only add noise
        }
        String name = checkName(root.path("metadata"), at, problems);
        JsonNode spec = root.path("spec");
        ObjectNode base = null;
        List<GridAxis> grid = List.of();
        List<ObjectNode> variations = List.of();
        int maxConcurrent = 1;
        EvaluationSettings evaluation = EvaluationSettings.defaults();
        if (!spec.isObject()) {
            problems.add(at.problem("spec", "spec is required: a mapping with base (a PreferenceAlignmentJob spec) "
                    + "and grid or variations"));
        } else {
            unknownKeys(spec, "spec", SPEC, at, problems);
            base = ExperimentSpecs.base(spec.path("base"), at, problems);
            grid = ExperimentSpecs.grid(spec.path("grid"), at, problems);
            variations = ExperimentSpecs.variations(spec.path("variations"), at, problems);
            maxConcurrent = wholeNumber(spec, "maxConcurrent", "spec.maxConcurrent", 1, 1, at, problems);
            evaluation = evaluation(spec.path("evaluation"), at, problems);
        }
        if (!problems.isEmpty()) {
            throw new ManifestException(origin, problems);
        }
        return new Experiment(name, origin, text, base, grid, variations, maxConcurrent, evaluation, at);
    }

    private static JsonNode readSingleDocument(String text, String origin) throws ManifestException {
        List<JsonNode> documents = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(text)) {
            while (parser.nextToken() != null) {
                JsonNode node = YAML.readTree(parser);
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String what = e.getOriginalMessage() == null ? "unreadable input"
                    : e.getOriginalMessage().lines().filter(l -> !l.isBlank() && !l.startsWith(" "))
                            .map(String::trim).reduce((a, b) -> a + "; " + b).orElse("unreadable input");
            throw new ManifestException(origin, new ManifestProblem("", loc == null ? 0 : loc.getLineNr(),
                    loc == null ? 0 : loc.getColumnNr(), "YAML syntax error: " + what), e);
        } catch (IOException e) {
            throw new ManifestException(origin, new ManifestProblem("", 0, 0, "cannot read YAML: " + e.getMessage()),
                    e);
        }
        if (documents.size() != 1) {
            throw new ManifestException(origin, new ManifestProblem("", 0, 0, documents.isEmpty()
                    ? "the file holds no YAML document; expected a " + Experiment.KIND
                    : "the file holds " + documents.size() + " YAML documents; an experiment file holds one "
                            + Experiment.KIND));
        }
        return documents.get(0);
    }

    private static String checkName(JsonNode metadata, YamlLocations at, List<ManifestProblem> problems) {
        if (!metadata.isObject()) {
            problems.add(at.problem("metadata", "metadata.name is required"));
            return "";
        }
        unknownKeys(metadata, "metadata", METADATA, at, problems);
        JsonNode name = metadata.path("name");
        if (!name.isTextual()) {
            problems.add(at.problem("metadata.name", "metadata.name is required: the experiment's name, which "
                    + "every run's name starts with"));
            return "";
        }
        String n = name.asText();
        ExperimentSpecs.nameProblem(n).ifPresent(problem -> problems.add(at.problem("metadata.name", problem)));
        return n;
    }

    private static EvaluationSettings evaluation(JsonNode node, YamlLocations at, List<ManifestProblem> problems) {
        if (node.isMissingNode() || node.isNull()) {
            return EvaluationSettings.defaults();
        }
        if (!node.isObject()) {
            problems.add(at.problem("spec.evaluation", "spec.evaluation must be a mapping (prompts, maxNewTokens, "
                    + "rules, judge, rankBy, rewardModel)"));
            return EvaluationSettings.defaults();
        }
        unknownKeys(node, "spec.evaluation", EVALUATION, at, problems);
        int prompts = wholeNumber(node, "prompts", "spec.evaluation.prompts", EvaluationSettings.DEFAULT_PROMPTS, 0,
                at, problems);
        int maxNewTokens = wholeNumber(node, "maxNewTokens", "spec.evaluation.maxNewTokens",
                EvaluationSettings.DEFAULT_MAX_NEW_TOKENS, 1, at, problems);
        Set<String> knownRules = Judges.rules().keySet();
        List<String> rules = new ArrayList<>();
        JsonNode rulesNode = node.path("rules");
        if (!rulesNode.isMissingNode() && !rulesNode.isNull()) {
            if (!rulesNode.isArray()) {
                problems.add(at.problem("spec.evaluation.rules", "spec.evaluation.rules must be a list of rule "
                        + "names (known: " + String.join(", ", knownRules) + ")"));
            } else {
                for (int i = 0; i < rulesNode.size(); i++) {
                    String where = FieldPaths.element("spec.evaluation.rules", i);
                    JsonNode r = rulesNode.get(i);
                    if (!r.isTextual() || !knownRules.contains(r.asText())) {
                        problems.add(at.problem(where, where + ": unknown rule " + r + " (known: "
                                + String.join(", ", knownRules) + "; add one through the ReplyRule interface)"));
                    } else if (rules.contains(r.asText())) {
                        problems.add(at.problem(where, where + ": rule " + r.asText() + " is listed twice"));
                    } else {
                        rules.add(r.asText());
                    }
                }
            }
        }
        String judge = null;
        JsonNode judgeNode = node.path("judge");
        if (!judgeNode.isMissingNode() && !judgeNode.isNull()) {
            List<String> knownJudges = Judges.names();
            if (!judgeNode.isTextual() || !knownJudges.contains(judgeNode.asText())) {
                problems.add(at.problem("spec.evaluation.judge", "spec.evaluation.judge: unknown judge " + judgeNode
                        + " (known: " + String.join(", ", knownJudges) + "; add one through the Judge or ReplyRule "
                        + "interface)"));
            } else {
                judge = judgeNode.asText();
            }
        }
        String rankBy = null;
        JsonNode rankNode = node.path("rankBy");
        if (!rankNode.isMissingNode() && !rankNode.isNull()) {
            RankBy parsed = rankNode.isTextual() ? RankBy.parse(rankNode.asText()).orElse(null) : null;
            if (parsed == null) {
                problems.add(at.problem("spec.evaluation.rankBy", "spec.evaluation.rankBy has unknown value "
                        + rankNode + " (allowed: preferenceAccuracy, logpMargin, winRate, rule:<name>)"));
            } else if (parsed instanceof RankBy.WinRateOverStart && (judgeNode.isMissingNode() || judgeNode.isNull())) {
                problems.add(at.problem("spec.evaluation.rankBy", "spec.evaluation.rankBy is winRate but no judge "
                        + "is set; set spec.evaluation.judge"));
            } else if (parsed instanceof RankBy.RulePassRate r && !rules.contains(r.rule())) {
                problems.add(at.problem("spec.evaluation.rankBy", "spec.evaluation.rankBy is " + r.key()
                        + " but spec.evaluation.rules does not list " + r.rule() + "; add it there"));
            } else {
                rankBy = parsed.key();
            }
        }
        RewardModelSettings rewardModel = rewardModel(node.path("rewardModel"), judge, judgeNode, at, problems);
        if (prompts == 0 && (!rules.isEmpty() || judge != null)) {
            problems.add(at.problem("spec.evaluation.prompts", "spec.evaluation.prompts is 0, but rules and judges "
                    + "need generated replies; set prompts > 0 or remove rules and judge"));
        }
        return new EvaluationSettings(prompts, maxNewTokens, rules, judge, rankBy, rewardModel);
    }

    /**
     * {@code spec.evaluation.rewardModel}: required by, and only allowed with, the reward-model judge, so that a
     * reward model written for nothing does not go unnoticed.
     */
    private static RewardModelSettings rewardModel(JsonNode node, String judge, JsonNode judgeNode, YamlLocations at,
            List<ManifestProblem> problems) {
        String field = "spec.evaluation.rewardModel";
        boolean wanted = RewardModelJudge.NAME.equals(judge);
        if (node.isMissingNode() || node.isNull()) {
            if (wanted) {
                problems.add(at.problem("spec.evaluation.judge", "spec.evaluation.judge is " + RewardModelJudge.NAME
                        + " but " + RewardModelSettings.FIELD + " is not set; add rewardModel: {source: ./rm} (a "
                        + "local folder, pvc://claim/path or hf://owner/name) under spec.evaluation"));
            }
            return null;
        }
        if (!wanted && (judge != null || judgeNode.isMissingNode() || judgeNode.isNull())) {
            problems.add(at.problem(field, field + " is set but spec.evaluation.judge is "
                    + (judge == null ? "not set" : judge) + "; the reward model only serves judge: "
                    + RewardModelJudge.NAME + " (set it, or remove rewardModel)"));
            return null;
        }
        if (!node.isObject()) {
            problems.add(at.problem(field, field + " must be a mapping with source (and optionally maxLength), not "
                    + node));
            return null;
        }
        unknownKeys(node, field, REWARD_MODEL, at, problems);
        JsonNode source = node.path("source");
        int maxLength = wholeNumber(node, "maxLength", field + ".maxLength", RewardModelSettings.DEFAULT_MAX_LENGTH,
                2, at, problems);
        if (!source.isTextual() || source.asText().isBlank()) {
            problems.add(at.problem(source.isMissingNode() ? field : RewardModelSettings.FIELD,
                    RewardModelSettings.FIELD + " is required: the reward model folder (a local path, pvc://claim/path "
                            + "or hf://owner/name[@revision]), not " + (source.isMissingNode() ? "missing" : source)));
            return null;
        }
        return RewardModelSettings.of(source.asText(), maxLength);
    }

    private static int wholeNumber(JsonNode parent, String key, String path, int fallback, int min, YamlLocations at,
            List<ManifestProblem> problems) {
        JsonNode n = parent.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min) {
            problems.add(at.problem(path, path + " must be a whole number >= " + min + ", not " + n));
            return fallback;
        }
        return n.intValue();
    }

    private static void expectText(JsonNode root, String key, String expected, YamlLocations at,
            List<ManifestProblem> problems) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            problems.add(at.problem(key, key + " is required (" + key + ": " + expected + ")"));
        } else if (!expected.equals(n.asText())) {
            problems.add(at.problem(key, key + " must be " + expected + " (got " + n.asText() + ")"));
        }
    }

    private static void unknownKeys(JsonNode node, String path, List<String> known, YamlLocations at,
            List<ManifestProblem> problems) {
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                String where = FieldPaths.child(path, key);
                problems.add(at.problem(where, "unknown field " + where + " (known fields: " + String.join(", ", known)
                        + ")"));
            }
        });
    }
}
