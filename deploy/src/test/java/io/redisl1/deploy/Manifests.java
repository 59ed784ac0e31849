package io.redisl1.deploy;

import static io.redisl1.deploy.Yaml.list;
import static io.redisl1.deploy.Yaml.map;
import static io.redisl1.deploy.Yaml.named;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** deploy/kubernetes rendered by the kubectl on the PATH, as a cluster would receive it. */
final class Manifests {
  static final Path DEPLOY = Path.of(System.getProperty("redisl1.deployDir", ".")).toAbsolutePath().normalize();
  static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
  static final Path COMPONENT = KUBERNETES.resolve("redisl1-agent");
  static final Path EXAMPLE = KUBERNETES.resolve("example");
  static final Path PLAIN_PATCH = KUBERNETES.resolve("plain/redisl1-agent-patch.yaml");

  /** What the component appends to JAVA_TOOL_OPTIONS (agent-fragments.yaml). */
  static final String AGENT_OPTIONS =
      "-javaagent:/redisl1-agent/javaagent.jar -Dredisl1.config=/etc/redis-l1/redis-l1.yaml";

  private static final Duration KUBECTL_TIMEOUT = Duration.ofSeconds(60);
  /** Renderings by directory: the files do not change while the tests run. */
  private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();
  /** "" once kubectl was found able to render the component, else why not; null until checked. */
  private static String kustomizeCheck;

  private Manifests() {}

  static Path kubectl() {
    return Tools.require("kubectl", "kubernetes-client, or kubectl from the Kubernetes apt repository");
  }

  /**
   * The component needs kustomize v5 (replacements that create fields and append to a string).
   * Debian bookworm's own kubectl (kubernetes-client 1.20) embeds kustomize v2.0.3, which has
   * neither components nor replacements: there the component checks are skipped, even on CI.
   */
  static Path kubectlWithKustomize5() {
    String missing = kustomize5Missing();
    if (missing != null) {
      org.junit.jupiter.api.Assumptions.abort(missing + ": skipping the component checks");
    }
    return kubectl();
  }

  /** Null if the kubectl on the PATH can render the component, else why not. */
  static synchronized String kustomize5Missing() {
    if (kustomizeCheck == null) {
      Path kubectl = kubectl();
      String json = Tools.run(KUBECTL_TIMEOUT, kubectl.toString(), "version", "--client", "-o", "json");
      Object version = Yaml.parseAll(json).get(0).get("kustomizeVersion");
      String v = version == null ? "" : version.toString();
      kustomizeCheck = v.matches("v([5-9]|\\d{2,})\\..*") ? ""
          : kubectl + " embeds kustomize " + (v.isEmpty() ? "older than v4" : v)
              + "; the component needs v5 (kubectl 1.27 or newer), which Debian bookworm does not"
              + " package (its kubernetes-client is kubectl 1.20)";
    }
    return kustomizeCheck.isEmpty() ? null : kustomizeCheck;
  }

  /** {@code kubectl kustomize dir}: every resource the kustomization would apply. */
  static List<Map<String, Object>> render(Path kustomization) {
    String yaml = RENDERED.computeIfAbsent(kustomization,
        dir -> Tools.run(KUBECTL_TIMEOUT, kubectlWithKustomize5().toString(), "kustomize", dir.toString()));
    return Yaml.parseAll(yaml); // parsed afresh: callers may not share mutable maps
  }

  /** The plain patch applied to a Deployment file as `kubectl patch` would, without a cluster. */
  static Map<String, Object> patchPlain(Path deployment) {
    String patch = read(PLAIN_PATCH);
    String out = Tools.run(KUBECTL_TIMEOUT, kubectl().toString(), "patch", "--local", "-f", deployment.toString(),
        "--type", "strategic", "-p", patch, "-o", "yaml");
    return Yaml.parseAll(out).get(0);
  }

  static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
    return docs.stream()
        .filter(doc -> kind.equals(doc.get("kind")) && name.equals(map(doc, "metadata").get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the rendered output"));
  }

  static Map<String, Object> podSpec(Map<String, Object> deployment) {
    return map(deployment, "spec", "template", "spec");
  }

  static Map<String, Object> container(Map<String, Object> deployment, String name) {
    return named(list(podSpec(deployment), "containers"), name);
  }

  static Map<String, Object> initContainer(Map<String, Object> deployment, String name) {
    return named(list(podSpec(deployment), "initContainers"), name);
  }

  /** The value of env var {@code name} in a container, null if it sets none. */
  static String env(Map<String, Object> container, String name) {
    Object env = container.get("env");
    if (env == null) {
      return null;
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> vars = (List<Map<String, Object>>) env;
    return vars.stream().filter(v -> name.equals(v.get("name"))).map(v -> (String) v.get("value")).findFirst().orElse(null);
  }

  /** The volumeMount of volume {@code volume} in a container. */
  static Map<String, Object> mount(Map<String, Object> container, String volume) {
    return named(list(container, "volumeMounts"), volume);
  }

  /** The word of a JVM option string that starts with {@code prefix}, without the prefix. */
  static String option(String javaToolOptions, String prefix) {
    for (String word : javaToolOptions.trim().split("\\s+")) {
      if (word.startsWith(prefix)) {
        return word.substring(prefix.length());
      }
    }
    throw new AssertionError("no " + prefix + " in JAVA_TOOL_OPTIONS: " + javaToolOptions);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
