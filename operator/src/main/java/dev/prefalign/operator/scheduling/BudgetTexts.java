package dev.prefalign.operator.scheduling;

import java.util.LinkedHashMap;
import java.util.Map;

/** Budgets as people write them: {@code nvidia.com/gpu=8,amd.com/gpu=2}, or a ConfigMap's data. */
public final class BudgetTexts {

    private BudgetTexts() {
    }

    /**
     * @param where names the setting in messages
     * @throws IllegalArgumentException naming the setting and the entry that is not {@code <resource>=<count>}
     */
    public static Map<String, Integer> parse(String text, String where) {
        Map<String, Integer> budget = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return budget;
        }
        for (String entry : text.split(",")) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(where + ": \"" + entry.trim() + "\" is not <resource>=<GPUs>, "
                        + "e.g. nvidia.com/gpu=8");
            }
            budget.put(entry.substring(0, eq).trim(), count(entry.substring(eq + 1), where + " " + entry.trim()));
        }
        return budget;
    }

    /** A ConfigMap's data: resource name -> GPUs. */
    public static Map<String, Integer> parse(Map<String, String> data, String where) {
        Map<String, Integer> budget = new LinkedHashMap<>();
        if (data != null) {
            data.forEach((resource, value) -> budget.put(resource, count(value, where + " key " + resource)));
        }
        return budget;
    }

    private static int count(String value, String where) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(where + ": \"" + value.trim() + "\" is not a whole number of GPUs >= 0");
    }
}
