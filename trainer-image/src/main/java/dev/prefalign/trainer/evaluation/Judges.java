package dev.prefalign.trainer.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The rules and judges an experiment may name: the built-in ones ({@value PolitenessRule#NAME},
 * {@value CloserToChosenRule#NAME}) and those found on the class path through {@link ServiceLoader}. A judge name
 * resolves to a {@link Judge} of that name, else to the {@link RuleJudge} of a rule of that name.
 */
public final class Judges {
    private Judges() {
    }

    public static Map<String, ReplyRule> rules() {
        Map<String, ReplyRule> out = new LinkedHashMap<>();
        for (ReplyRule rule : List.of(new PolitenessRule(), new CloserToChosenRule())) {
            out.put(rule.name(), rule);
        }
        ServiceLoader.load(ReplyRule.class).forEach(r -> out.putIfAbsent(r.name(), r));
        return out;
    }

    public static Map<String, Judge> judges() {
        Map<String, Judge> out = new LinkedHashMap<>();
        ServiceLoader.load(Judge.class).forEach(j -> out.putIfAbsent(j.name(), j));
        rules().forEach((name, rule) -> out.putIfAbsent(name, new RuleJudge(rule)));
        return out;
    }

    public static Optional<ReplyRule> rule(String name) {
        return Optional.ofNullable(rules().get(name));
    }

    public static Optional<Judge> judge(String name) {
        return Optional.ofNullable(judges().get(name));
    }

    /**
     * Every judge name an experiment may write: those of {@link #judges()} and {@value RewardModelJudge#NAME}, which
     * needs {@code spec.evaluation.rewardModel} and so is not built from its name alone.
     */
    public static List<String> names() {
        List<String> out = new ArrayList<>(judges().keySet());
        out.add(RewardModelJudge.NAME);
        return out;
    }

    /**
     * The judge the settings name: for {@value RewardModelJudge#NAME} a judge over the settings' resolved reward model
     * (empty when it is not resolved), else {@link #judge(String)}; empty without a judge. A reward-model judge holds
     * its model once it has compared: close it ({@link AutoCloseable}) when done.
     */
    public static Optional<Judge> judge(EvaluationSettings settings) {
        if (settings.judge() == null) {
            return Optional.empty();
        }
        if (settings.judge().equals(RewardModelJudge.NAME)) {
            RewardModelSettings model = settings.rewardModel();
            return model != null && model.resolved() ? Optional.of(new RewardModelJudge(model)) : Optional.empty();
        }
        return judge(settings.judge());
    }

    /** The rules named, in order; an unknown name is an error the caller reported already. */
    public static List<ReplyRule> rules(List<String> names) {
        Map<String, ReplyRule> all = rules();
        List<ReplyRule> out = new ArrayList<>();
        for (String name : names) {
            ReplyRule rule = all.get(name);
            if (rule == null) {
                throw new IllegalArgumentException("unknown rule " + name + " (known: " + all.keySet() + ")");
            }
            out.add(rule);
        }
        return out;
    }
}
