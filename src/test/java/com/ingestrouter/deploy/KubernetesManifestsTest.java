package com.ingestrouter.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Offline checks of deploy/k8s: every document is a known kind with no unknown field, and the probes fit the app. */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("deploy/k8s");
    private static final String KUSTOMIZATION = "kustomization.yaml";
    private static final String SECRET_TEMPLATE = "secret.example.yaml";
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /**
     * The fabric8 model keeps unknown fields in an "additionalProperties" map instead of failing; without
     * that any-setter a misspelt field (readinessProbes, containerport) is an error, as kubectl's strict
     * validation would make it.
     */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule().setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                        BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    return builder;
                }
            }))
            .build();

    private static List<HasMetadata> resources;
    private static Set<String> appVariables;

    @BeforeAll
    static void load() throws IOException {
        resources = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(KubernetesManifestsTest::isManifest).sorted().toList()) {
                resources.addAll(parse(Files.readString(file), file.toString()));
            }
        }
        appVariables = AppVariables.read();
    }

    @Test
    void everyManifestIsAKnownKindWithoutUnknownFields() {
        assertThat(resources).extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder("ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Secret", "Service");
        assertThat(resources).allSatisfy(r -> assertThat(r.getMetadata().getName()).isEqualTo("ingest-router"));
    }

    @Test
    void aMisspeltFieldIsRejected() {
        String typo = """
                apiVersion: v1
                kind: Service
                metadata: {name: x}
                spec:
                  ports: [{name: http, port: 8080, targetPorts: http}]
                """;
        assertThatThrownBy(() -> parse(typo, "typo.yaml")).hasMessageContaining("targetPorts");
    }

    @Test
    void probesAreReadinessAndLivenessOnTheHttpPort() {
        Container app = container();
        assertThat(app.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                .contains(org.assertj.core.groups.Tuple.tuple("http", 8080));

        Probe readiness = app.getReadinessProbe();
        assertThat(readiness.getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(portNumber(readiness.getHttpGet().getPort(), app)).isEqualTo(8080);

        // /health/live holds only Camel's liveness checks (EmbeddedModeTest, BrokerModeResilienceTest).
        Probe liveness = app.getLivenessProbe();
        assertThat(liveness.getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(portNumber(liveness.getHttpGet().getPort(), app)).isEqualTo(8080);
        // Start-up waits for the dependencies before the port opens; liveness must not count that time.
        assertThat(app.getStartupProbe()).isNotNull();
        int startupSeconds = app.getStartupProbe().getPeriodSeconds() * app.getStartupProbe().getFailureThreshold();
        assertThat(startupSeconds).isGreaterThanOrEqualTo(180);
    }

    @Test
    void gracePeriodCoversTheAppsShutdownTimeout() {
        long grace = deployment().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertThat(grace).isGreaterThan(20 + 5);
    }

    @Test
    void serviceSelectsTheDeploymentsPodsOnTheHttpPort() {
        Service service = one(Service.class);
        Map<String, String> podLabels = deployment().getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(deployment().getSpec().getSelector().getMatchLabels()).isEqualTo(service.getSpec().getSelector());
        ServicePort http = service.getSpec().getPorts().get(0);
        assertThat(http.getPort()).isEqualTo(8080);
        assertThat(portNumber(http.getTargetPort(), container())).isEqualTo(8080);
    }

    @Test
    void autoscalerScalesTheDeploymentOnCpuRequests() {
        HorizontalPodAutoscaler hpa = one(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment().getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).isBetween(1, hpa.getSpec().getMaxReplicas());
        assertThat(hpa.getSpec().getMetrics()).extracting(MetricSpec::getType).contains("Resource");
        assertThat(hpa.getSpec().getMetrics()).anySatisfy(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"));
        // Utilization is measured against the request: without one the HPA cannot scale.
        assertThat(container().getResources().getRequests()).containsKey("cpu");
    }

    @Test
    void configMapIsMountedAsApplicationPropertiesWithTheRepositorysKeys() throws IOException {
        ConfigMap config = one(ConfigMap.class);
        Properties mounted = new Properties();
        mounted.load(new StringReader(config.getData().get("application.properties")));
        Properties repository = new Properties();
        repository.load(new StringReader(Files.readString(Path.of("application.properties"))));
        assertThat(mounted.stringPropertyNames()).isEqualTo(repository.stringPropertyNames());

        VolumeMount mount = container().getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/app/application.properties")).findFirst().orElseThrow();
        Volume volume = deployment().getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(volume.getConfigMap().getName()).isEqualTo(config.getMetadata().getName());
        assertThat(mount.getSubPath()).isEqualTo("application.properties");
    }

    @Test
    void secretTemplateHoldsPlaceholdersOnlyAndIsLeftOutOfTheKustomization() throws IOException {
        Secret secret = one(Secret.class);
        assertThat(secret.getData()).as("use stringData placeholders, never encoded values").isNullOrEmpty();
        secret.getStringData().forEach((key, value) -> {
            if (key.contains("PASSWORD") || value.contains("@")) {
                assertThat(value).as(key).contains("change-me");
            }
        });

        JsonNode kustomization = YAML.readTree(DIR.resolve(KUSTOMIZATION).toFile());
        List<String> listed = new ArrayList<>();
        kustomization.get("resources").forEach(r -> listed.add(r.asText()));
        assertThat(listed).doesNotContain(SECRET_TEMPLATE);
        try (Stream<Path> files = Files.list(DIR)) {
            Set<String> manifests = files.filter(KubernetesManifestsTest::isManifest)
                    .map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            manifests.remove(SECRET_TEMPLATE);
            assertThat(listed).containsExactlyInAnyOrderElementsOf(manifests);
        }
    }

    @Test
    void everyVariableThePodGetsIsOneTheAppReads() {
        Container app = container();
        Secret secret = one(Secret.class);
        assertThat(app.getEnv()).extracting(EnvVar::getName).isSubsetOf(appVariables);
        assertThat(secret.getStringData().keySet()).isSubsetOf(appVariables);
        assertThat(app.getEnvFrom()).extracting(EnvFromSource::getSecretRef).extracting("name")
                .containsExactly(secret.getMetadata().getName());
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.equals(KUSTOMIZATION);
    }

    private static List<HasMetadata> parse(String yaml, String source) throws IOException {
        List<HasMetadata> parsed = new ArrayList<>();
        List<JsonNode> documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
        for (JsonNode document : documents) {
            if (document == null || document.isEmpty()) {
                continue;
            }
            String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
            Class<? extends HasMetadata> type = KINDS.get(key);
            if (type == null) {
                throw new IllegalArgumentException(source + ": " + key + " is not a kind this test knows; add it to KINDS");
            }
            try {
                parsed.add(STRICT.treeToValue(document, type));
            } catch (IOException e) {
                throw new IOException(source + ": " + e.getMessage(), e);
            }
        }
        return parsed;
    }

    private static <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = resources.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private static Deployment deployment() {
        return one(Deployment.class);
    }

    private static Container container() {
        List<Container> containers = deployment().getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static int portNumber(IntOrString port, Container container) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }
}
