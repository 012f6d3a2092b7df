package dev.prefalign.api.v1alpha1.spec;

/**
 * Patterns of the Kubernetes names that the spec passes through to child objects. They live here once: the CRD
 * schema gets them via {@code @Pattern}, and {@code SpecValidator} reads the same annotations.
 */
public final class KubernetesNames {

    /** A DNS-1123 subdomain (StorageClass, PVC, PriorityClass names), or empty for "not set". */
    public static final String DNS_SUBDOMAIN_OR_EMPTY =
            "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /** A qualified resource name such as nvidia.com/gpu or amd.com/gpu. */
    public static final String QUALIFIED_NAME =
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";

    /** What a pattern of this class asks for, in words, for error messages; null for an unknown pattern. */
    public static String describe(String pattern) {
        return switch (pattern) {
            case DNS_SUBDOMAIN_OR_EMPTY -> "a DNS-1123 name (lower-case letters, digits, '-' and '.'; starting and "
                    + "ending with a letter or digit) or empty";
            case QUALIFIED_NAME -> "a resource name such as nvidia.com/gpu";
            default -> null;
        };
    }

    private KubernetesNames() {
    }
}
