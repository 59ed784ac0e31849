package io.redisl1.deploy;

import static io.redisl1.deploy.Manifests.AGENT_OPTIONS;
import static io.redisl1.deploy.Manifests.container;
import static io.redisl1.deploy.Manifests.env;
import static io.redisl1.deploy.Manifests.find;
import static io.redisl1.deploy.Manifests.initContainer;
import static io.redisl1.deploy.Manifests.mount;
import static io.redisl1.deploy.Manifests.option;
import static io.redisl1.deploy.Manifests.podSpec;
import static io.redisl1.deploy.Yaml.at;
import static io.redisl1.deploy.Yaml.hasNamed;
import static io.redisl1.deploy.Yaml.list;
import static io.redisl1.deploy.Yaml.map;
import static io.redisl1.deploy.Yaml.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of deploy/kubernetes, read from what kubectl renders: the init container copies the
 * jar to exactly where -javaagent looks for it, the config file is in a ConfigMap mounted as a
 * directory, JAVA_TOOL_OPTIONS keeps the container's own value, and ports and probes are named.
 */
class DeployManifestsTest {
  static final String APP = "spring-lettuce-sample";

  static Map<String, Object> app(List<Map<String, Object>> docs) {
    return find(docs, "Deployment", APP);
  }

  /**
   * The example app's Deployment with the agent added by the kustomize component or by the plain
   * patch: the contract below holds for both. (The plain patch needs only `kubectl patch --local`,
   * which Debian's own kubectl 1.20 has; the component needs kustomize v5.)
   */
  static Map<String, Object> withAgent(String how) {
    return "component".equals(how)
        ? app(Manifests.render(Manifests.EXAMPLE))
        : Manifests.patchPlain(Manifests.EXAMPLE.resolve("app/deployment.yaml"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"component", "plain patch"})
  void theInitContainerCopiesTheJarToWhereJavaagentLoadsIt(String how) {
    Map<String, Object> app = withAgent(how);
    String jar = option(env(container(app, "app"), "JAVA_TOOL_OPTIONS"), "-javaagent:");

    Map<String, Object> init = initContainer(app, "redisl1-agent-init");
    assertEquals(List.of("cp", "/javaagent.jar", jar), init.get("command"), "the init container's command");
    String agentDir = Path.of(jar).getParent().toString();
    assertEquals(agentDir, mount(init, "redisl1-agent").get("mountPath"), "init container's emptyDir mount");
    Map<String, Object> appMount = mount(container(app, "app"), "redisl1-agent");
    assertEquals(agentDir, appMount.get("mountPath"), "app container's emptyDir mount");
    assertEquals(true, appMount.get("readOnly"));
    Map<String, Object> volume = named(list(podSpec(app), "volumes"), "redisl1-agent");
    assertEquals("64Mi", at(volume, "emptyDir", "sizeLimit"));
  }

  @Test
  void javaToolOptionsKeepsTheContainersOwnValueAndAppendsTheAgent() throws IOException {
    // The example's own Deployment sets JVM options of its own.
    String own = env(container(Yaml.parseAll(Manifests.read(Manifests.EXAMPLE.resolve("app/deployment.yaml"))).get(0), "app"), "JAVA_TOOL_OPTIONS");
    assertTrue(own.contains("MaxRAMPercentage"), own);
    assertEquals(own + " " + AGENT_OPTIONS, env(container(app(Manifests.render(Manifests.EXAMPLE)), "app"), "JAVA_TOOL_OPTIONS"));

    // Any Deployment: no env at all, env without JAVA_TOOL_OPTIONS, odd spacing kept as it was.
    Map<String, Object> none = renderWithComponent("no-env", "command: [java]");
    assertEquals(" " + AGENT_OPTIONS, env(container(none, "main"), "JAVA_TOOL_OPTIONS")); // a leading space is harmless
    Map<String, Object> other = renderWithComponent("other-env", "env: [{name: TZ, value: UTC}]");
    assertEquals("UTC", env(container(other, "main"), "TZ"));
    assertEquals(" " + AGENT_OPTIONS, env(container(other, "main"), "JAVA_TOOL_OPTIONS"));
    Map<String, Object> spaced = renderWithComponent("spaced", "env: [{name: JAVA_TOOL_OPTIONS, value: '-Xss1m  -Da=\"b c\"'}]");
    assertEquals("-Xss1m  -Da=\"b c\" " + AGENT_OPTIONS, env(container(spaced, "main"), "JAVA_TOOL_OPTIONS"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"component", "plain patch"})
  void theConfigIsAConfigMapFileMountedAsADirectory(String how) {
    Map<String, Object> app = withAgent(how);
    Path config = Path.of(option(env(container(app, "app"), "JAVA_TOOL_OPTIONS"), "-Dredisl1.config="));

    Map<String, Object> configMount = mount(container(app, "app"), "redisl1-config");
    assertEquals(config.getParent().toString(), configMount.get("mountPath"));
    assertNull(configMount.get("subPath"), "a subPath mount never sees ConfigMap updates");
    assertEquals(true, configMount.get("readOnly"));
    assertEquals("redisl1-config", at(named(list(podSpec(app), "volumes"), "redisl1-config"), "configMap", "name"),
        "the ConfigMap name the README and the plain patch's header tell users to create");
  }

  @Test
  void theExampleShipsTheSamplesConfigInThatConfigMap() {
    List<Map<String, Object>> docs = Manifests.render(Manifests.EXAMPLE);
    Map<String, Object> app = app(docs);
    Path config = Path.of(option(env(container(app, "app"), "JAVA_TOOL_OPTIONS"), "-Dredisl1.config="));
    String configMap = (String) at(named(list(podSpec(app), "volumes"), "redisl1-config"), "configMap", "name");
    Object data = at(find(docs, "ConfigMap", configMap), "data", config.getFileName().toString());
    assertEquals(Manifests.read(Manifests.DEPLOY.resolve("../sample-apps/redis-l1.yaml")), data,
        "the example runs the sample with the configuration it uses locally");
  }

  @ParameterizedTest
  @ValueSource(strings = {"component", "plain patch"})
  void theInitContainerIsSmallAndUnprivileged(String how) {
    Map<String, Object> init = initContainer(withAgent(how), "redisl1-agent-init");
    assertEquals(Map.of("cpu", "50m", "memory", "64Mi"), at(init, "resources", "requests"));
    assertEquals(Map.of("cpu", "500m", "memory", "256Mi"), at(init, "resources", "limits"));
    Map<String, Object> security = map(init, "securityContext");
    assertEquals(true, security.get("runAsNonRoot"));
    assertEquals(65532, security.get("runAsUser"));
    assertEquals(true, security.get("readOnlyRootFilesystem"));
    assertEquals(false, security.get("allowPrivilegeEscalation"));
    assertEquals(List.of("ALL"), at(security, "capabilities", "drop"));
  }

  @Test
  void metricsArePublishedOnANamedPortThatAnnotationsAndThePodMonitorName() {
    List<Map<String, Object>> docs = Manifests.render(Manifests.EXAMPLE);
    Map<String, Object> app = app(docs);
    Map<String, Object> metrics = named(list(container(app, "app"), "ports"), "metrics");
    assertEquals(9477, metrics.get("containerPort"));
    Map<String, Object> annotations = map(app, "spec", "template", "metadata", "annotations");
    assertEquals("true", annotations.get("prometheus.io/scrape"));
    assertEquals("9477", annotations.get("prometheus.io/port"));
    assertEquals("/metrics", annotations.get("prometheus.io/path"));

    Map<String, Object> podMonitor = find(docs, "PodMonitor", "redisl1-agent");
    Map<String, Object> endpoint = list(podMonitor, "spec", "podMetricsEndpoints").get(0);
    assertEquals("metrics", endpoint.get("port"));
    assertEquals("/metrics", endpoint.get("path"));
    Map<String, Object> podLabels = map(app, "spec", "template", "metadata", "labels");
    map(podMonitor, "spec", "selector", "matchLabels")
        .forEach((key, value) -> assertEquals(value, podLabels.get(key), "PodMonitor selects the pod by " + key));
  }

  @Test
  void everyNamedPortAProbeOrServiceUsesIsDeclared() {
    List<Map<String, Object>> docs = Manifests.render(Manifests.EXAMPLE);
    Map<String, Object> redis = find(docs, "Deployment", "redis");
    Map<String, Object> server = container(redis, "redis");
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      Object port = at(server, probe, "tcpSocket", "port");
      assertTrue(hasNamed(list(server, "ports"), (String) port), probe + " uses undeclared port " + port);
    }
    Object target = list(find(docs, "Service", "redis"), "spec", "ports").get(0).get("targetPort");
    assertTrue(hasNamed(list(server, "ports"), (String) target), "Service targets undeclared port " + target);
    assertEquals("redis://redis:6379", env(container(app(docs), "app"), "REDIS_URL"), "the app reaches Redis through the Service");
  }

  @Test
  void onlyTheJvmDeploymentGetsTheAgent() {
    Map<String, Object> redis = find(Manifests.render(Manifests.EXAMPLE), "Deployment", "redis");
    assertFalse(podSpec(redis).containsKey("initContainers"));
    assertNull(env(container(redis, "redis"), "JAVA_TOOL_OPTIONS"));
  }

  /** The plain patch, as `kubectl patch` applies it, adds what the component adds. */
  @Test
  void thePlainPatchMatchesTheComponent() {
    Map<String, Object> rendered = app(Manifests.render(Manifests.EXAMPLE));
    Map<String, Object> patched = Manifests.patchPlain(Manifests.EXAMPLE.resolve("app/deployment.yaml"));

    assertEquals(list(podSpec(rendered), "initContainers"), list(podSpec(patched), "initContainers"));
    assertEquals(list(podSpec(rendered), "volumes"), list(podSpec(patched), "volumes"));
    for (String part : List.of("labels", "annotations")) {
      assertEquals(map(rendered, "spec", "template", "metadata", part), map(patched, "spec", "template", "metadata", part));
    }
    Map<String, Object> renderedApp = container(rendered, "app");
    Map<String, Object> patchedApp = container(patched, "app");
    assertEquals(renderedApp.get("volumeMounts"), patchedApp.get("volumeMounts"));
    assertEquals(renderedApp.get("ports"), patchedApp.get("ports"));
    // A strategic merge replaces an env var's value: the patch's header says to prepend your own.
    assertEquals(AGENT_OPTIONS, env(patchedApp, "JAVA_TOOL_OPTIONS"));
  }

  /** The component applied to a one-container Deployment whose container has {@code extra}. */
  private static Map<String, Object> renderWithComponent(String name, String extra) throws IOException {
    Path dir = Files.createDirectories(Manifests.DEPLOY.resolve("target/overlays").resolve(name));
    Files.writeString(dir.resolve("deployment.yaml"), String.join("\n",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: {name: " + name + "}",
        "spec:",
        "  selector: {matchLabels: {app: " + name + "}}",
        "  template:",
        "    metadata: {labels: {app: " + name + "}}",
        "    spec:",
        "      containers:",
        "      - name: main",
        "        image: x",
        "        " + extra,
        ""));
    Files.writeString(dir.resolve("kustomization.yaml"), String.join("\n",
        "resources: [deployment.yaml]",
        "components: [" + dir.relativize(Manifests.COMPONENT) + "]",
        ""));
    return find(Manifests.render(dir), "Deployment", name);
  }
}
