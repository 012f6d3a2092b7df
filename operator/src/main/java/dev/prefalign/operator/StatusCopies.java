package dev.prefalign.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.function.Supplier;

/** Resources with a new status, for status updates: the informer's cached resource is never modified. */
public final class StatusCopies {

    private StatusCopies() {
    }

    /** A copy of {@code resource} (its metadata copied, its spec shared) that carries {@code status}. */
    public static <P, S, T extends CustomResource<P, S>> T withStatus(T resource, S status, Supplier<T> blank) {
        T copy = blank.get();
        copy.setMetadata(new ObjectMetaBuilder(resource.getMetadata()).build());
        copy.setSpec(resource.getSpec());
        copy.setStatus(status);
        return copy;
    }
}
