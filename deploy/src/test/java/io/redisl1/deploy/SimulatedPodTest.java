package io.redisl1.deploy;

import static io.redisl1.deploy.Manifests.container;
import static io.redisl1.deploy.Manifests.env;
import static io.redisl1.deploy.Manifests.find;
import static io.redisl1.deploy.Manifests.initContainer;
import static io.redisl1.deploy.Yaml.at;
import static io.redisl1.deploy.Yaml.list;
import static io.redisl1.deploy.Yaml.named;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.testsupport.ForkedJvm;
import io.redisl1.testsupport.ProcessRunner;
import io.redisl1.testsupport.RedisServerExtension;
import io.redisl1.testsupport.RespClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example pod's start-up, as far as this machine can go without a container runtime: the
 * image built offline and unpacked, the init container's rendered command run with the image's own
 * static {@code cp} against a directory standing in for the emptyDir, the config laid out as the
 * kubelet lays out a ConfigMap volume, and the Spring Boot sample started with exactly the rendered
 * JAVA_TOOL_OPTIONS, its container paths mapped to those directories, against a real redis-server.
 */
class SimulatedPodTest {
  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  static final Path AGENT_JAR =
      Path.of(System.getProperty("redisl1test.agentJar", "../agent/target/redis-l1-agent.jar")).toAbsolutePath().normalize();
  static final Path SAMPLE = Path.of(System.getProperty("redisl1.sampleDir", "../sample-apps/spring-lettuce")).toAbsolutePath().normalize();

  private static Path work;
  private static OciImage image;

  @BeforeAll
  static void buildAndUnpackTheImage() throws IOException {
    assertTrue(Files.isRegularFile(AGENT_JAR), "build the agent first (./mvnw package): " + AGENT_JAR);
    Path archive = OciImage.buildOffline(AGENT_JAR);
    work = Manifests.DEPLOY.resolve("target/simulated-pod");
    deleteRecursively(work);
    image = OciImage.unpack(archive, Files.createDirectories(work.resolve("image")));
  }

  @Test
  void theImageHoldsOnlyTheAgentJarReadableByAnyoneAndAStaticCp() throws IOException {
    assertEquals(List.of("bin/cp", "javaagent.jar"), image.files());
    assertArrayEquals(Files.readAllBytes(AGENT_JAR), Files.readAllBytes(image.inImage("/javaagent.jar")));
    assertTrue(image.listingOf("javaagent.jar").startsWith("-rw-r--r--"), image.listingOf("javaagent.jar"));
    assertTrue(image.listingOf("bin/cp").startsWith("-rwxr-xr-x"), image.listingOf("bin/cp"));
    assertFalse(OciImage.isDynamicallyLinked(image.inImage("/bin/cp")), "a scratch image has no dynamic loader");
    assertEquals("65532:65532", image.config.get("User"), "the image runs as non-root by default too");
  }

  @Test
  void theSampleCachesUnderTheRenderedAgentOptionsAndConfig() throws IOException, InterruptedException {
    // The example as the component renders it; with a kubectl too old for the component (Debian's
    // own), the example's Deployment with the plain patch applied and the file the ConfigMap holds.
    String noComponent = Manifests.kustomize5Missing();
    Map<String, Object> app;
    Map<String, Object> configData;
    if (noComponent == null) {
      List<Map<String, Object>> docs = Manifests.render(Manifests.EXAMPLE);
      app = DeployManifestsTest.app(docs);
      String configMap = (String) at(named(list(Manifests.podSpec(app), "volumes"), "redisl1-config"), "configMap", "name");
      configData = Yaml.map(find(docs, "ConfigMap", configMap), "data");
    } else {
      System.out.println(noComponent + ": simulating the pod of the plain patch instead");
      app = DeployManifestsTest.withAgent("plain patch");
      configData = Map.of("redis-l1.yaml", Manifests.read(Manifests.EXAMPLE.resolve("app/redis-l1.yaml")));
    }
    Path emptyDir = Files.createDirectories(work.resolve("volumes/redisl1-agent"));
    Files.setPosixFilePermissions(emptyDir, PosixFilePermissions.fromString("rwxrwxrwx")); // as the kubelet makes it

    // 1. The init container: its rendered command, the image's cp, the emptyDir mounted where it says.
    Map<String, Object> init = initContainer(app, "redisl1-agent-init");
    Map<String, Path> initMounts = Map.of(mountPath(init, "redisl1-agent"), emptyDir);
    List<String> command = new ArrayList<>();
    @SuppressWarnings("unchecked")
    List<String> rendered = (List<String>) init.get("command");
    command.add(image.resolveCommand(rendered.get(0)).toString());
    for (String arg : rendered.subList(1, rendered.size())) {
      command.add(hostPath(arg, initMounts, image).toString());
    }
    List<String> asUser = asUser(at(init, "securityContext", "runAsUser"), at(init, "securityContext", "runAsGroup"), command);
    ForkedJvm.Result copied = ProcessRunner.run(asUser, Map.of(), Duration.ofSeconds(30));
    assertEquals(0, copied.exitCode(), () -> "init container " + asUser + ": " + copied);
    Path copiedJar = emptyDir.resolve("javaagent.jar");
    assertArrayEquals(Files.readAllBytes(AGENT_JAR), Files.readAllBytes(copiedJar));
    assertTrue(Files.getPosixFilePermissions(copiedJar).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ),
        "the app container, running as another user, must read the jar");

    // 2. The ConfigMap volume, laid out as the kubelet does: files in a timestamped directory,
    //    ..data pointing at it, and each key a symlink through ..data.
    Map<String, Object> appContainer = container(app, "app");
    Path configDir = configMapVolume(work.resolve("volumes/redisl1-config"), configData);

    // 3. The app container: the rendered JAVA_TOOL_OPTIONS with its mount paths mapped to the
    //    directories above; every other rendered env var as it is, except where Redis is and that
    //    the sample should exit after one report instead of repeating it.
    Map<String, Path> appMounts = new LinkedHashMap<>();
    appMounts.put(mountPath(appContainer, "redisl1-agent"), emptyDir);
    appMounts.put(mountPath(appContainer, "redisl1-config"), configDir);
    String javaToolOptions = env(appContainer, "JAVA_TOOL_OPTIONS");
    String mapped = javaToolOptions;
    for (Map.Entry<String, Path> mount : appMounts.entrySet()) {
      mapped = mapped.replace(mount.getKey() + "/", mount.getValue() + "/");
    }
    assertFalse(mapped.equals(javaToolOptions), "the rendered options name the mounts");

    Map<String, String> env = new LinkedHashMap<>();
    for (Map<String, Object> var : list(appContainer, "env")) {
      env.put((String) var.get("name"), (String) var.get("value"));
    }
    int metricsPort = freePort();
    env.put("JAVA_TOOL_OPTIONS", mapped);
    env.put("REDIS_URL", redis.endpoint().uri());
    // The rendered SAMPLE_KEEP_RUNNING=true: it reports, then idles 30 s before the next report,
    // while this test scrapes its /metrics as Prometheus would; then it is stopped as a pod is.
    // The metrics port and host come from the environment, a source the agent reads below -D and
    // above the config file, so the rendered JAVA_TOOL_OPTIONS stay exactly as rendered; a
    // container can set REDISL1_METRICS_PORT the same way. Loopback only: tests stay on it.
    env.put("REDISL1_METRICS_PORT", Integer.toString(metricsPort));
    env.put("REDISL1_METRICS_HOST", "127.0.0.1");
    SimulatedApp.Report run;
    try (SimulatedApp sample = SimulatedApp.start(sampleCommand(), env, work.resolve("app"))) {
      run = sample.awaitReport(Duration.ofMinutes(5)); // 221,001 GETs and a Spring context on a loaded 2-core machine
      run.scraped = sample.scrape(metricsPort, "/metrics");
      run.health = sample.scrape(metricsPort, "/healthz");
      run.ready = sample.scrape(metricsPort, "/readyz");
      run.exitAfterSigterm = sample.stop(Duration.ofSeconds(60));
      run.stdout = sample.stdout();
      run.stderr = sample.stderr();
    }
    System.out.println("simulated pod, init container " + asUser + "\n" + run);

    assertTrue(run.exitAfterSigterm == 143 || run.exitAfterSigterm == 0,
        () -> "SIGTERM, as the kubelet sends it, ends the JVM promptly (exit " + run.exitAfterSigterm + "): " + run);
    assertTrue(run.stderr().contains("Picked up JAVA_TOOL_OPTIONS: " + mapped), run::toString);
    assertTrue(run.stderr().contains("[redis-l1] redis-l1 ") && run.stderr().contains("caching prefixes ['product:' ttl=PT1M] in 64MB"),
        () -> "the agent read the ConfigMap's file through ..data: " + run);
    assertTrue(run.stdout().contains("agent attached:        true"), run::toString);
    assertTrue(run.stdout().contains("read after own write:  new value"), run::toString);
    long appGets = number(run.stdout(), "GETs by the app");
    long reportedServerGets = number(run.stdout(), "GETs that hit Redis");
    try (RespClient server = redis.endpoint().connect()) {
      long serverGets = server.commandCalls("get"); // since the sample's own CONFIG RESETSTAT
      assertEquals(reportedServerGets, serverGets, "INFO commandstats agrees with the sample's report");
      // 1,000 first reads and 20,001 uncached ones must reach Redis; the 200,000 hot reads must not.
      assertTrue(serverGets < appGets / 5, () -> serverGets + " of " + appGets + " GETs reached Redis:\n" + run);
    }

    // 4. What Prometheus would scrape from the pod's metrics port: every product: GET that did not
    //    reach Redis was a hit (stock: says cache: false, so all 20,000 of its reads did reach it).
    String product = "{cache=\"product:\",cache_manager=\"redisl1\",result=\"hit\"}";
    long productGets = appGets - 20_000;
    long expectedHits = productGets - (reportedServerGets - 20_000);
    assertTrue(expectedHits > 0, run::toString);
    assertEquals(expectedHits, (long) value(run.scraped, "cache_gets_total" + product), run.scraped);
    assertEquals(20_000, (long) value(run.scraped, "redisl1_reads_bypassed_total{reason=\"rule_off\"}"), run.scraped);
    assertTrue(run.health.startsWith("{\"status\":\"UP\",\"l1\":\"on\",\"invalidation\":\"tracking\""), run.health);
    assertTrue(run.ready.startsWith("{\"status\":\"READY\",\"invalidation\":\"tracking\""), run.ready);
  }

  private static double value(String scraped, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scraped);
    assertTrue(m.find(), () -> "no series " + series + " in the scrape:\n" + scraped);
    return Double.parseDouble(m.group(1));
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** {@code java -cp <the sample's class path> SpringLettuceSample}, on the JDK running the tests. */
  private static List<String> sampleCommand() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(sampleClasspath().stream().map(Path::toString).collect(java.util.stream.Collectors.joining(File.pathSeparator)));
    command.add("io.redisl1.samples.spring.SpringLettuceSample");
    return command;
  }

  /** The host directory standing in for a container path: a mount, else the image's own file. */
  private static Path hostPath(String containerPath, Map<String, Path> mounts, OciImage image) {
    for (Map.Entry<String, Path> mount : mounts.entrySet()) {
      if (containerPath.startsWith(mount.getKey() + "/")) {
        return mount.getValue().resolve(containerPath.substring(mount.getKey().length() + 1));
      }
    }
    return image.inImage(containerPath);
  }

  private static String mountPath(Map<String, Object> container, String volume) {
    return (String) Manifests.mount(container, volume).get("mountPath");
  }

  /**
   * The command as the init container's user when we are root (setpriv, util-linux), so the image's
   * file modes and the emptyDir's are what decides; otherwise we already are a non-root user.
   */
  private static List<String> asUser(Object uid, Object gid, List<String> command) {
    if (!"root".equals(System.getProperty("user.name")) || Tools.onPath("setpriv").isEmpty()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** What the kubelet writes for a ConfigMap volume; returns the mount directory. */
  private static Path configMapVolume(Path dir, Map<String, Object> data) throws IOException {
    Path timestamped = Files.createDirectories(dir.resolve("..2026_12_02_04_30_00.123456789"));
    for (Map.Entry<String, Object> entry : data.entrySet()) {
      Files.writeString(timestamped.resolve(entry.getKey()), (String) entry.getValue());
    }
    Files.createSymbolicLink(dir.resolve("..data"), timestamped.getFileName());
    for (String key : data.keySet()) {
      Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
    }
    return dir;
  }

  /** The sample's classes and the class path its own build resolved (Spring Boot's managed versions). */
  private static List<Path> sampleClasspath() throws IOException {
    Path resolved = SAMPLE.resolve("target/runtime-classpath.txt");
    assertTrue(Files.isRegularFile(resolved), "build the sample first (./mvnw package): " + resolved);
    List<Path> classpath = new ArrayList<>();
    classpath.add(SAMPLE.resolve("target/classes"));
    for (String entry : Files.readString(resolved).strip().split(File.pathSeparator)) {
      classpath.add(Path.of(entry));
    }
    return classpath;
  }

  private static long number(String report, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + ":\\s+([\\d,]+)").matcher(report);
    assertTrue(m.find(), "no '" + label + "' in the sample's report:\n" + report);
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
