package dev.prefalign.operator.status;

import dev.prefalign.operator.dependent.ChildResources;

/**
 * Paths the trainer reports inside its Pod, written for the status as sources: {@code /workspace/output} on claim
 * {@code c} is {@code pvc://c/output}, which another job's model.source can name as it is.
 */
public final class WorkspacePaths {

    private WorkspacePaths() {
    }

    public static String toSource(String podPath, String claim) {
        if (podPath == null) {
            return null;
        }
        String root = ChildResources.WORKSPACE;
        if (podPath.equals(root)) {
            return "pvc://" + claim + "/";
        }
        if (podPath.startsWith(root + "/")) {
            return "pvc://" + claim + podPath.substring(root.length());
        }
        return podPath;
    }
}
