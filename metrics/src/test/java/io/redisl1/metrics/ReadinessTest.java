package io.redisl1.metrics;

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
import io.redisl1.store.tracking.InvalidationChannels;
import io.redisl1.store.tracking.InvalidationSettings;
import io.redisl1.testsupport.RedisServerExtension;
import io.redisl1.testsupport.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /readyz}, {@code /healthz} and the channel meters against a real redis-server, reached
 * through a proxy that first holds every byte (the channel cannot be confirmed), then lets it pass.
 */
class ReadinessTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  /** Liveness bounds on a shared machine, not performance claims. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private final HttpClient http = HttpClient.newHttpClient();
  private InvalidationChannels channels;

  @AfterEach
  void stop() {
    if (channels != null) {
      channels.close();
    }
  }

  @Test
  void notReadyWhileTheChannelCannotBeConfirmedThenReadyWithItsFiguresOnEveryPage() throws Exception {
    KeyRules rules = KeyRules.of(List.of(KeyRule.cached("user:", Duration.ofMinutes(1), false)));
    L1Store store = L1Store.create(L1Settings.of(1 << 20, 1024));
    L1Runtime runtime = L1Runtime.start(store, rules);
    try (TcpProxy proxy = TcpProxy.to(REDIS.endpoint())) {
      channels = InvalidationChannels.install(store, rules, InvalidationSettings.defaults());
      runtime.invalidationChannels(channels);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      LiveMeters live = L1Meters.bind(registry, runtime, channels);
      int port = HttpEndpointLoader.jdkHttpServer()
          .start("127.0.0.1", 0, OperatorView.pages(registry, live, new Health(store, channels, "t")));
      String base = "http://127.0.0.1:" + port;
      String endpoint = proxy.endpoint().host() + ":" + proxy.endpoint().port();

      assertEquals(200, get(base + "/readyz").statusCode(), "no endpoint seen yet: nothing to wait for");
      proxy.stall();
      Scope scope = store.scope(endpoint, 0, "default"); // the app's first connection: waits 2 s, goes on

      HttpResponse<String> notReady = get(base + "/readyz");
      assertEquals(503, notReady.statusCode(), notReady.body());
      assertEquals("{\"status\":\"NOT_READY\",\"invalidation\":\"tracking\",\"channels\":{\"" + endpoint + "\":\"connecting\"}}",
          notReady.body());
      HttpResponse<String> health = get(base + "/healthz");
      assertEquals(200, health.statusCode(), "not ready is never unhealthy");
      assertTrue(health.body().contains("\"invalidation\":\"tracking\",") && health.body().contains("\"ready\":false"), health.body());
      assertEquals(0, L1MetersTest.value(get(base + "/metrics").body(),
          "redisl1_invalidation_channel_confirmed{endpoint=\"" + endpoint + "\"}"));

      proxy.resume();
      await(() -> get(base + "/readyz").statusCode() == 200, "ready once the channel is confirmed");
      assertTrue(scope.keyspace().endpointState().serving());
      await(() -> L1MetersTest.value(get(base + "/metrics").body(),
          "redisl1_invalidation_staleness_seconds_count{endpoint=\"" + endpoint + "\"}") >= 2, "canaries measured");
      String metrics = get(base + "/metrics").body();
      String tag = "{endpoint=\"" + endpoint + "\"}";
      assertTrue(L1MetersTest.value(metrics, "redisl1_invalidation_staleness_seconds_sum" + tag) > 0, metrics);
      assertTrue(L1MetersTest.value(metrics, "redisl1_invalidation_canary_round_trip_seconds_count" + tag) >= 2, metrics);
      assertTrue(L1MetersTest.value(metrics, "redisl1_invalidation_staleness_last_seconds" + tag) > 0, metrics);
      String state = "{endpoint=\"" + endpoint + "\",state=\"confirmed\"}";
      assertEquals(1, L1MetersTest.value(metrics, "redisl1_invalidation_channel_state" + state), metrics);
      String body = get(base + "/healthz").body();
      assertTrue(body.contains("\"ready\":true,\"channels\":[{\"endpoint\":\"" + endpoint + "\",\"state\":\"confirmed\","), body);
      assertTrue(body.matches(".*\"stalenessMillis\":[0-9.]+,.*"), body);

      proxy.cut(); // a later loss: the L1 stops serving that endpoint, the app stays in traffic
      await(() -> L1MetersTest.value(get(base + "/metrics").body(),
          "redisl1_invalidation_channel_losses_total{endpoint=\"" + endpoint + "\"}") >= 1, "the loss is counted");
      assertEquals(200, get(base + "/readyz").statusCode());
      assertTrue(L1MetersTest.value(get(base + "/metrics").body(), "redisl1_invalidations_total{source=\"reconnect\"}") > 0);
    }
  }

  private HttpResponse<String> get(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(url, e);
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + PATIENCE + ": " + what);
      }
      Thread.sleep(20);
    }
  }
}
