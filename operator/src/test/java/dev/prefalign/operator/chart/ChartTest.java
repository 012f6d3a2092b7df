package dev.prefalign.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.prefalign.api.v1alpha1.PreferenceAlignmentJob;
import dev.prefalign.operator.dependent.ChildResources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * charts/prefalign-operator, linted and rendered by the Helm library that helm-java embeds (no cluster, no network),
 * and checked against what the operator's code does: its config keys, the labels it puts on trainer Pods, the
 * trainer's status port, and the API calls it makes (for RBAC).
 */
class ChartTest {

    static final List<String> CRD_FILES = List.of("preferencealignmentjobs.prefalign.dev-v1.yml",
            "preferencealignmentexperiments.prefalign.dev-v1.yml");

    /**
     * Every right the operator needs on namespaced objects, read from its code: resource -> verbs. Anything more is
     * a right it does not use.
     */
    static final Map<String, Set<String>> JOB_RIGHTS = Map.ofEntries(
            Map.entry("prefalign.dev/preferencealignmentjobs",
                    Set.of("create", "get", "list", "watch", "patch", "update", "delete")),
            Map.entry("prefalign.dev/preferencealignmentjobs/status", Set.of("get", "patch", "update")),
            Map.entry("prefalign.dev/preferencealignmentjobs/finalizers", Set.of("update")),
            Map.entry("prefalign.dev/preferencealignmentexperiments", Set.of("get", "list", "watch", "patch", "update")),
            Map.entry("prefalign.dev/preferencealignmentexperiments/status", Set.of("get", "patch", "update")),
            Map.entry("prefalign.dev/preferencealignmentexperiments/finalizers", Set.of("update")),
            Map.entry("batch/jobs", Set.of("create", "get", "list", "watch", "patch", "update")),
            Map.entry("persistentvolumeclaims", Set.of("create", "get", "list", "watch")),
            Map.entry("configmaps", Set.of("create", "get", "list", "watch", "patch", "update")),
            Map.entry("pods", Set.of("get", "list", "watch")),
            Map.entry("events", Set.of("create")),
            Map.entry("kueue.x-k8s.io/workloads", Set.of("list")));

    @TempDir
    Path tmp;

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    @Test
    void chartCrdsAreTheCommittedGeneratedOnes() throws IOException {
        for (String file : CRD_FILES) {
            Path chart = RenderedChart.CHART.resolve("crds").resolve(file);
            Path committed = Path.of("..", "crds", "src", "main", "kubernetes", file);
            String fix = "the chart's CRD differs from the committed one; the operator build copies it at "
                    + "generate-resources, or: cp crds/src/main/kubernetes/" + file + " charts/prefalign-operator/crds/";
            assertThat(chart).as(fix).exists();
            assertThat(Files.readAllBytes(chart)).as(fix).isEqualTo(Files.readAllBytes(committed));
        }
        try (Stream<Path> files = Files.list(RenderedChart.CHART.resolve("crds"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("only the CRDs in crds/")
                    .containsExactlyInAnyOrderElementsOf(CRD_FILES);
        }
    }

    @Test
    void defaultsRunClusterWideAsAHardenedDeployment() {
        RenderedChart chart = RenderedChart.render(tmp, "");

        assertThat(chart.kinds()).containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRoleBinding",
                "ClusterRole", "ClusterRoleBinding", "ClusterRole", "ClusterRoleBinding", "ClusterRole",
                "ClusterRoleBinding", "Service", "Deployment");
        Deployment deployment = chart.one(Deployment.class);
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
        assertThat(deployment.getSpec().getReplicas()).as("no leader election: one operator").isEqualTo(1);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo(chart.one(ServiceAccount.class).getMetadata().getName());
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        Container operator = pod.getContainers().get(0);
        assertThat(pod.getContainers()).hasSize(1);
        assertThat(operator.getImage()).isEqualTo("ghcr.io/prefalign/prefalign-operator:0.1.0");
        var security = operator.getSecurityContext();
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(operator.getVolumeMounts()).as("a writable /tmp under the read-only root")
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(operator.getResources().getLimits()).containsKey("memory");

        assertThat(operator.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(operator.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(operator.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");

        // Empty values leave the operator's own defaults (its trainer image, the cluster's storage class, all namespaces).
        assertThat(env(operator)).doesNotContainKeys("PREFALIGN_OPERATOR_TRAINER_IMAGE",
                "PREFALIGN_OPERATOR_STORAGE_DEFAULT_STORAGE_CLASS", "PREFALIGN_OPERATOR_WATCHED_NAMESPACES",
                "PREFALIGN_OPERATOR_STATUS_POLL_INTERVAL");
        assertThat(env(operator)).containsEntry("QUARKUS_OPERATOR_SDK_CRD_VALIDATE", "true");

        assertThat(chart.all(Role.class)).isEmpty();
        ClusterRole jobs = clusterRole(chart, RenderedChart.FULLNAME);
        assertThat(rights(jobs.getRules())).isEqualTo(JOB_RIGHTS);
        assertBoundToServiceAccount(chart.all(ClusterRoleBinding.class).stream()
                .filter(b -> b.getRoleRef().getName().equals(RenderedChart.FULLNAME)).findFirst().orElseThrow()
                .getSubjects(), chart);
        ClusterRole crds = clusterRole(chart, RenderedChart.FULLNAME + "-crd-validation");
        assertThat(rights(crds.getRules())).isEqualTo(Map.of(
                "apiextensions.k8s.io/customresourcedefinitions", Set.of("get", "list")));
        assertThat(rights(clusterRole(chart, RenderedChart.FULLNAME + "-storage-classes").getRules()))
                .isEqualTo(Map.of("storage.k8s.io/storageclasses", Set.of("get")));
        ClusterRole scheduling = clusterRole(chart, RenderedChart.FULLNAME + "-scheduling");
        assertThat(rights(scheduling.getRules())).isEqualTo(Map.of(
                "scheduling.k8s.io/priorityclasses", Set.of("list"),
                "apiextensions.k8s.io/customresourcedefinitions", Set.of("get")));
        assertThat(scheduling.getRules()).filteredOn(r -> r.getResources().contains("customresourcedefinitions"))
                .singleElement().satisfies(r -> assertThat(r.getResourceNames())
                        .containsExactly("workloads.kueue.x-k8s.io"));
        assertThat(env(operator)).containsEntry("PREFALIGN_OPERATOR_SCHEDULING_MODE", "auto")
                .containsEntry("PREFALIGN_OPERATOR_SCHEDULING_PREEMPTION", "false")
                .doesNotContainKey("PREFALIGN_OPERATOR_SCHEDULING_CLUSTER_BUDGET");
        assertLeastPrivilege(chart);

        Service service = chart.one(Service.class);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(chart.generic("ServiceMonitor")).isEmpty();
        assertThat(chart.generic("PodMonitor")).isEmpty();
        assertThat(chart.all(NetworkPolicy.class)).isEmpty();
    }

    @Test
    void watchedNamespacesGetARoleEachAndNoClusterWideJobRights() {
        RenderedChart chart = RenderedChart.render(tmp, """
                watchedNamespaces: [team-a, team-b]
                trainerImage: registry.example/prefalign-trainer:1.2.3
                defaultStorageClass: fast-ssd
                statusPollInterval: 10s
                scheduling: {mode: budgets, clusterBudget: "nvidia.com/gpu=8", preemption: true}
                """);

        Container operator = chart.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(operator))
                .containsEntry("PREFALIGN_OPERATOR_WATCHED_NAMESPACES", "team-a,team-b")
                .containsEntry("PREFALIGN_OPERATOR_TRAINER_IMAGE", "registry.example/prefalign-trainer:1.2.3")
                .containsEntry("PREFALIGN_OPERATOR_STORAGE_DEFAULT_STORAGE_CLASS", "fast-ssd")
                .containsEntry("PREFALIGN_OPERATOR_STATUS_POLL_INTERVAL", "10s")
                .containsEntry("PREFALIGN_OPERATOR_SCHEDULING_MODE", "budgets")
                .containsEntry("PREFALIGN_OPERATOR_SCHEDULING_CLUSTER_BUDGET", "nvidia.com/gpu=8")
                .containsEntry("PREFALIGN_OPERATOR_SCHEDULING_PREEMPTION", "true");

        List<Role> roles = chart.all(Role.class);
        assertThat(roles).extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
        roles.forEach(r -> assertThat(rights(r.getRules())).as(r.getMetadata().getNamespace()).isEqualTo(JOB_RIGHTS));
        List<RoleBinding> bindings = chart.all(RoleBinding.class);
        assertThat(bindings).extracting(b -> b.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("team-a", "team-b");
        bindings.forEach(b -> {
            assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
            assertThat(b.getRoleRef().getName()).isEqualTo(RenderedChart.FULLNAME);
            assertBoundToServiceAccount(b.getSubjects(), chart);
        });
        // Only reads of cluster-scoped kinds remain cluster-wide: CRDs (start-up check, Kueue detection),
        // StorageClasses and PriorityClasses.
        assertThat(chart.all(ClusterRole.class)).flatExtracting(c -> rights(c.getRules()).keySet())
                .containsExactlyInAnyOrder("apiextensions.k8s.io/customresourcedefinitions",
                        "storage.k8s.io/storageclasses", "scheduling.k8s.io/priorityclasses",
                        "apiextensions.k8s.io/customresourcedefinitions");
        assertLeastPrivilege(chart);
    }

    @Test
    void monitorsScrapeTheOperatorAndThePodsTheOperatorLabels() {
        RenderedChart chart = RenderedChart.render(tmp, """
                watchedNamespaces: [team-a]
                monitoring:
                  serviceMonitor: {enabled: true, labels: {release: kube-prometheus}}
                  podMonitor: {enabled: true, interval: 15s}
                """);

        GenericKubernetesResource serviceMonitor = single(chart.generic("ServiceMonitor"));
        assertThat(serviceMonitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(serviceMonitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus");
        Map<String, Object> smSpec = spec(serviceMonitor);
        assertThat(chart.one(Service.class).getMetadata().getLabels())
                .containsAllEntriesOf(stringMap(path(smSpec, "selector", "matchLabels")));
        Map<?, ?> smEndpoint = (Map<?, ?>) ((List<?>) smSpec.get("endpoints")).get(0);
        assertThat(smEndpoint.get("port")).isEqualTo(chart.one(Service.class).getSpec().getPorts().get(0).getName());
        assertThat(smEndpoint.get("path")).isEqualTo("/q/metrics");

        GenericKubernetesResource podMonitor = single(chart.generic("PodMonitor"));
        Map<String, Object> pmSpec = spec(podMonitor);
        assertThat(trainerPodLabels()).containsAllEntriesOf(stringMap(path(pmSpec, "selector", "matchLabels")));
        assertThat(stringMap(path(pmSpec, "selector", "matchLabels"))).containsKey("app.kubernetes.io/component");
        assertThat(path(pmSpec, "namespaceSelector")).containsEntry("matchNames", List.of("team-a"));
        Map<?, ?> pmEndpoint = (Map<?, ?>) ((List<?>) pmSpec.get("podMetricsEndpoints")).get(0);
        assertThat(pmEndpoint.get("port")).isEqualTo(ChildResources.STATUS_PORT_NAME);
        assertThat(pmEndpoint.get("path")).isEqualTo("/metrics");
        assertThat(pmEndpoint.get("interval")).isEqualTo("15s");

        RenderedChart clusterWide = RenderedChart.render(tmp, "monitoring: {podMonitor: {enabled: true}}");
        assertThat(path(spec(single(clusterWide.generic("PodMonitor"))), "namespaceSelector"))
                .containsEntry("any", true);
        assertThat(clusterWide.generic("ServiceMonitor")).isEmpty();
    }

    @Test
    void networkPolicyLetsTheOperatorReachTrainerStatusPorts() {
        RenderedChart chart = RenderedChart.render(tmp, """
                watchedNamespaces: [team-a, team-b]
                networkPolicy:
                  enabled: true
                  extraIngressFrom:
                    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
                """);

        List<NetworkPolicy> policies = chart.all(NetworkPolicy.class);
        assertThat(policies).extracting(p -> p.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("team-a", "team-b");
        Map<String, String> operatorPod = chart.one(Deployment.class).getSpec().getTemplate().getMetadata()
                .getLabels();
        for (NetworkPolicy policy : policies) {
            var spec = policy.getSpec();
            assertThat(trainerPodLabels()).containsAllEntriesOf(spec.getPodSelector().getMatchLabels());
            assertThat(spec.getPolicyTypes()).containsExactly("Ingress");
            var rule = spec.getIngress().get(0);
            assertThat(spec.getIngress()).hasSize(1);
            assertThat(rule.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getPort().getIntVal()).isEqualTo(ChildResources.STATUS_PORT);
                assertThat(p.getProtocol()).isEqualTo("TCP");
            });
            NetworkPolicyPeer fromOperator = rule.getFrom().get(0);
            assertThat(fromOperator.getNamespaceSelector().getMatchLabels())
                    .containsExactly(Map.entry("kubernetes.io/metadata.name", RenderedChart.NAMESPACE));
            assertThat(operatorPod).containsAllEntriesOf(fromOperator.getPodSelector().getMatchLabels());
            assertThat(rule.getFrom()).hasSize(2);
            assertThat(rule.getFrom().get(1).getNamespaceSelector().getMatchLabels())
                    .containsExactly(Map.entry("kubernetes.io/metadata.name", "monitoring"));
        }

        RenderedChart clusterWide = RenderedChart.render(tmp, "networkPolicy: {enabled: true}");
        assertThat(clusterWide.all(NetworkPolicy.class)).extracting(p -> p.getMetadata().getNamespace())
                .containsExactly(RenderedChart.NAMESPACE);
    }

    @Test
    void crdValidationOffDropsItsClusterRole() {
        RenderedChart chart = RenderedChart.render(tmp, "crdValidation: false");

        assertThat(chart.all(ClusterRole.class)).extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder(RenderedChart.FULLNAME, RenderedChart.FULLNAME + "-storage-classes",
                        RenderedChart.FULLNAME + "-scheduling");
        Container operator = chart.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(operator)).containsEntry("QUARKUS_OPERATOR_SDK_CRD_VALIDATE", "false");
    }

    @Test
    void schemaRejectsBadValues() {
        assertThatThrownBy(() -> RenderedChart.render(tmp, "watchedNamespaces: [Team_A]"))
                .hasMessageContaining("watchedNamespaces");
        assertThatThrownBy(() -> RenderedChart.render(tmp, "trainerImages: typo"))
                .hasMessageContaining("trainerImages");
    }

    /** The labels the operator puts on a trainer Pod (from its own code, not copied into this test). */
    private static Map<String, String> trainerPodLabels() {
        PreferenceAlignmentJob job = new PreferenceAlignmentJob();
        job.setMetadata(new ObjectMetaBuilder().withName("any-job").withNamespace("team-a").build());
        return ChildResources.labels(job, "trainer");
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static ClusterRole clusterRole(RenderedChart chart, String name) {
        return chart.all(ClusterRole.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no ClusterRole " + name + " in " + chart.kinds()));
    }

    /** Rules as "group/resource" (core group: "resource") -> verbs, merged over rules. */
    private static Map<String, Set<String>> rights(List<PolicyRule> rules) {
        Map<String, Set<String>> rights = new TreeMap<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    String key = group.isEmpty() ? resource : group + "/" + resource;
                    rights.computeIfAbsent(key, k -> new TreeSet<>()).addAll(rule.getVerbs());
                }
            }
        }
        return rights;
    }

    /** No wildcard anywhere, and no access to Secrets: the trainer Job references them through secretKeyRef. */
    private static void assertLeastPrivilege(RenderedChart chart) {
        Stream<PolicyRule> rules = Stream.concat(chart.all(Role.class).stream().flatMap(r -> r.getRules().stream()),
                chart.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()));
        rules.forEach(rule -> {
            assertThat(rule.getVerbs()).as("verbs of %s", rule).doesNotContain("*");
            assertThat(rule.getResources()).as("resources of %s", rule).doesNotContain("*").doesNotContain("secrets");
            assertThat(rule.getApiGroups()).as("apiGroups of %s", rule).doesNotContain("*");
            assertThat(rule.getNonResourceURLs()).as("nonResourceURLs of %s", rule).isNullOrEmpty();
        });
    }

    private static void assertBoundToServiceAccount(List<Subject> subjects, RenderedChart chart) {
        assertThat(subjects).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(chart.one(ServiceAccount.class).getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
        });
    }

    private static GenericKubernetesResource single(List<GenericKubernetesResource> found) {
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> path(Map<String, Object> map, String... keys) {
        Map<String, Object> current = map;
        for (String key : keys) {
            current = (Map<String, Object>) current.get(key);
            assertThat(current).as("field %s", key).isNotNull();
        }
        return current;
    }

    private static Map<String, String> stringMap(Map<String, Object> map) {
        return map.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }
}
