package dev.prefalign.operator.dependent;

import dev.prefalign.operator.OperatorConfig;
import dev.prefalign.operator.scheduling.SchedulingMode;
import java.util.Optional;

/**
 * The operator settings that shape the child resources, as a value: the builders stay pure functions of
 * (resource, settings) that unit tests call without a running application.
 *
 * @param defaultImage                  trainer image for a spec whose image is empty
 * @param terminationGracePeriodSeconds time a stopping trainer gets to write its checkpoint
 * @param runAsUser                     non-root user (and group, fsGroup) of the trainer
 * @param defaultStorageClass           class of created claims whose spec leaves it empty; empty = cluster default
 * @param scheduling                    who releases held-back Jobs (never AUTO here: resolved first)
 */
public record ChildSettings(String defaultImage, long terminationGracePeriodSeconds, long runAsUser,
        Optional<String> defaultStorageClass, SchedulingMode scheduling) {

    /** Settings without queueing: Jobs start at once. */
    public ChildSettings(String defaultImage, long terminationGracePeriodSeconds, long runAsUser,
            Optional<String> defaultStorageClass) {
        this(defaultImage, terminationGracePeriodSeconds, runAsUser, defaultStorageClass, SchedulingMode.NONE);
    }

    public static ChildSettings from(OperatorConfig config, SchedulingMode scheduling) {
        return new ChildSettings(config.trainer().image(), config.trainer().terminationGracePeriodSeconds(),
                config.trainer().runAsUser(), config.storage().defaultStorageClass().filter(s -> !s.isBlank()),
                scheduling);
    }
}
