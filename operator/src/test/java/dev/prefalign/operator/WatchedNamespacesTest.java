package dev.prefalign.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** prefalign.operator.watched-namespaces confines the operator to the namespaces listed. */
@QuarkusTest
@TestProfile(WatchedNamespacesTest.OnlyTeamA.class)
@WithKubernetesTestServer(crud = true)
class WatchedNamespacesTest {

    public static class OnlyTeamA implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("prefalign.operator.watched-namespaces", "team-a");
        }
    }

    @Inject
    KubernetesClient client;

    @Test
    void runsJobsOnlyInTheWatchedNamespaces() {
        client.resource(TestJobs.minimal("mine", "team-a")).create();
        client.resource(TestJobs.minimal("theirs", "team-b")).create();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.batch().v1().jobs().inNamespace("team-a").withName("mine").get() != null);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(client.batch().v1().jobs().inNamespace("team-b").list().getItems()).isEmpty();
            PreferenceAlignmentJob theirs = client.resources(PreferenceAlignmentJob.class).inNamespace("team-b")
                    .withName("theirs").get();
            assertThat(theirs.getStatus()).isNull();
        });
    }
}
