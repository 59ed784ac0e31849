package io.redisl1.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Store;
import io.redisl1.store.Scope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class OperatorViewTest {
  private final KeyRule users = KeyRule.cached("user:", Duration.ofMinutes(1), false);
  private final L1Store store = L1Store.create(L1Settings.of(1 << 20, 1024));
  private final L1Runtime runtime = L1Runtime.start(store, KeyRules.of(List.of(users)));
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesMetricsHealthAndReadiness() throws Exception {
    Scope scope = store.scope("127.0.0.1:6379", 0, "default");
    store.fill(scope, bytes("user:1"), store.beginRead(), bytes("alice"), Duration.ofMinutes(1).toNanos());
    store.get(scope, bytes("user:1"));
    store.get(scope, bytes("user:2"));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LiveMeters live = L1Meters.bind(registry, runtime);
    int port = HttpEndpointLoader.jdkHttpServer()
        .start("127.0.0.1", 0, OperatorView.pages(registry, live, new Health(store, null, "9.9.9")));
    String base = "http://127.0.0.1:" + port;

    HttpResponse<String> metrics = get(base + "/metrics");
    assertEquals(200, metrics.statusCode());
    assertEquals(OperatorView.PROMETHEUS_TEXT, metrics.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(1, L1MetersTest.value(metrics.body(), "cache_gets_total{cache=\"user:\",cache_manager=\"redisl1\",result=\"hit\"}"));

    HttpResponse<String> health = get(base + "/healthz");
    assertEquals(200, health.statusCode());
    String body = health.body();
    assertTrue(body.startsWith("{\"status\":\"UP\",\"l1\":\"on\",\"invalidation\":\"ttl\",\"entries\":1,"), body);
    assertTrue(body.contains("\"bytesBudget\":1048576,\"hits\":1,\"misses\":1,\"hitRate\":0.5000,"), body);
    assertTrue(body.contains("\"agentVersion\":\"9.9.9\""), body);

    assertEquals(200, get(base + "/readyz").statusCode());

    // A reload keeps the L1 on (a new runtime over the same store) and brings a new rule's meters.
    L1Runtime.reconfigure(KeyRules.of(List.of(users, KeyRule.cached("flag:", Duration.ofMinutes(1), false))), false);
    assertTrue(get(base + "/healthz").body().contains("\"l1\":\"on\""));
    assertTrue(get(base + "/metrics").body().contains("cache_gets_total{cache=\"flag:\""), "a rule added by a reload is metered");

    L1Runtime.failed("a test", new IllegalStateException("boom"));
    HttpResponse<String> afterFailure = get(base + "/healthz");
    assertEquals(200, afterFailure.statusCode(), "a switched-off L1 passes through: never a reason to kill the pod");
    assertTrue(afterFailure.body().contains("\"l1\":\"off: pass-through"), afterFailure.body());
  }

  @Test
  void aPortInUseCostsOneLineAndNothingElse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      MetricsSettings settings =
          new MetricsSettings.Builder().set("host", "127.0.0.1").set("port", Integer.toString(taken.getLocalPort())).build();
      String err = stderrOf(() -> join(OperatorView.start(settings, runtime, "t")));

      assertEquals(1, err.lines().count(), err);
      assertTrue(err.startsWith("[redis-l1] WARN metrics endpoint not started: 127.0.0.1:" + taken.getLocalPort()), err);
    }
    // The MBean does not need the port.
    ObjectName name = new ObjectName(L1MBean.NAME);
    assertEquals(Boolean.TRUE, ManagementFactory.getPlatformMBeanServer().getAttribute(name, "Enabled"));
    assertEquals(1L << 20, ManagementFactory.getPlatformMBeanServer().getAttribute(name, "BytesBudget"));
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void join(Thread t) {
    try {
      t.join(Duration.ofSeconds(60).toMillis());
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
