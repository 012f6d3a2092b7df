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
