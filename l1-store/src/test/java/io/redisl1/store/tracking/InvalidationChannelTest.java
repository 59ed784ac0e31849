package io.redisl1.store.tracking;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Stats.InvalidationSource;
import io.redisl1.store.L1Store;
import io.redisl1.store.Scope;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import io.redisl1.testsupport.RedisServerExtension;
import io.redisl1.testsupport.RespClient;
import io.redisl1.testsupport.TcpProxy;
import io.redisl1.testsupport.TlsRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The invalidation channel against a real redis-server: what reaches the L1, and when it stops. */
class InvalidationChannelTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final long TTL = Duration.ofMinutes(1).toNanos();
  /** Generous: the machine is shared; these are liveness bounds, not performance claims. */
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final KeyRules RULES =
      KeyRules.of(
          List.of(
              KeyRule.cached("user:", Duration.ofMinutes(1), false),
              KeyRule.cached("user:x:", Duration.ofMinutes(1), false),
              KeyRule.cached("flag:", Duration.ofMinutes(1), false),
              KeyRule.bypassed("nocache:")));

  private final L1Store store = L1Store.create(L1Settings.of(1 << 20, 1024));
  private InvalidationChannels channels;
  private RespClient outside;

  @BeforeEach
  void setUp() {
    outside = REDIS.endpoint().connect();
    outside.flushAll();
  }

  @AfterEach
  void tearDown() {
    if (channels != null) {
      channels.close();
    }
    outside.close();
  }

  @Test
  void anOutsideWriteDropsTheKeyInEveryDatabaseAndScopeButOnlyForTrackedPrefixes() {
    Scope db0 = startOn(REDIS.endpoint(), InvalidationSettings.defaults());
    Scope db1Alice = store.scope(endpointOf(REDIS.endpoint()), 1, "alice");
    fill(db0, "user:1", "old");
    fill(db1Alice, "user:1", "old");
    fill(db0, "other:1", "old"); // no rule covers it, so Redis must not report it

    outside.call("SET", "other:1", "new");
    outside.call("SET", "user:1", "new");

    await(() -> store.get(db0, b("user:1")) == null && store.get(db1Alice, b("user:1")) == null,
        "user:1 dropped in db 0 and for alice in db 1");
    // Invalidations arrive in order: other:1 would have come before user:1.
    assertNotNull(store.get(db0, b("other:1")), "other:1 is under no tracked prefix");
    assertEquals(2, store.stats().invalidated(InvalidationSource.INVALIDATION_CHANNEL), "two entries dropped");
    assertEquals(0, store.stats().invalidated(InvalidationSource.LOCAL_WRITE), "none by a local write");
  }

  /**
   * Only the cached prefixes are tracked, so a write elsewhere costs Redis no push; a reload that
   * caches a new prefix re-registers the channel before anything under it can be filled.
   */
  @Test
  void aRuleAddedLaterIsTrackedBeforeItsKeysCanBeFilled() {
    Scope scope = startOn(REDIS.endpoint(), InvalidationSettings.defaults());
    InvalidationChannel channel = channels.channel(endpointOf(REDIS.endpoint()));
    await(() -> trackedPrefixes() == 3, "Redis tracks user:, flag: and the canary's prefix");
    fill(scope, "user:1", "old");
    fill(scope, "item:1", "old"); // no rule of the channel's covers item:, so Redis does not report it
    outside.call("SET", "item:1", "new");
    outside.call("SET", "user:1", "new");
    await(() -> store.get(scope, b("user:1")) == null, "user:1 dropped");
    assertNotNull(store.get(scope, b("item:1")), "a write under no tracked prefix is not pushed");

    channels.track(KeyRules.of(List.of(KeyRule.cached("user:", Duration.ofMinutes(1), false),
        KeyRule.cached("item:", Duration.ofMinutes(1), false))));

    assertNull(store.get(scope, b("item:1")), "the endpoint's entries were dropped at once");
    assertFalse(fillQuietly(scope, "item:2"), "nothing is filled until the new prefix is tracked");
    await(() -> channel.confirmations.get() == 2 && scope.keyspace().endpointState().serving(),
        "the channel registered again");
    assertEquals(0, channel.losses.get(), "re-registering is not an outage");
    await(() -> trackedPrefixes() == 4, "item: added; user: and flag: kept; the old registration gone");
    fill(scope, "item:1", "new");
    outside.call("SET", "item:1", "newer");
    await(() -> store.get(scope, b("item:1")) == null, "a write to the new prefix is pushed");

    channels.track(KeyRules.of(List.of(KeyRule.cached("item:x:", Duration.ofMinutes(1), false))));
    assertEquals(2, channel.confirmations.get(), "a prefix already covered changes nothing");
  }

  /** Prefixes in Redis's BCAST table: every tracking client's, this test's channel only here. */
  private long trackedPrefixes() {
    for (String line : ((String) outside.call("INFO", "stats")).split("\r?\n")) {
      if (line.startsWith("tracking_total_prefixes:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    throw new AssertionError("no tracking_total_prefixes in INFO stats");
  }

  @Test
  void theStatusShowsTheConfirmedChannelAndWhatItsCanaryMeasured() {
    InvalidationSettings settings = InvalidationSettings.of(InvalidationSettings.Mode.TRACKING, false, Duration.ofMillis(50));
    startOn(REDIS.endpoint(), settings);
    await(() -> channels.statuses().get(0).canariesBack() >= 3, "a few canaries came back");

    ChannelStatus status = channels.statuses().get(0);
    assertEquals(endpointOf(REDIS.endpoint()), status.endpoint());
    assertTrue(status.confirmed() || channels.channel(status.endpoint()).losses.get() > 0, status.state());
    assertTrue(status.everConfirmed());
    assertTrue(status.canaryReplies() >= 3, "each canary SET answered");
    assertTrue(status.lastRoundTripNanos() > 0 && status.lastStalenessNanos() > 0);
    assertTrue(status.canaryStalenessNanos() >= status.lastStalenessNanos());
    assertTrue(channels.ready());
  }

  @Test
  void notReadyWhileTheFirstChannelCannotBeConfirmedThenReadyForGood() {
    try (TcpProxy proxy = TcpProxy.to(REDIS.endpoint())) {
      proxy.stall();
      channels = InvalidationChannels.install(store, RULES, InvalidationSettings.defaults());
      assertTrue(channels.ready(), "no endpoint seen yet: nothing to wait for");
      Scope scope = store.scope(endpointOf(proxy.endpoint()), 0, "default"); // waits up to 2 s, then goes on

      assertFalse(channels.ready());
      assertEquals(ChannelStatus.CONNECTING, channels.statuses().get(0).state());
      proxy.resume();
      await(channels::ready, "ready once the channel is confirmed");
      assertTrue(scope.keyspace().endpointState().serving());

      proxy.cut();
      await(() -> channels.channel(endpointOf(proxy.endpoint())).losses.get() == 1, "the channel noticed the cut");
      assertTrue(channels.ready(), "a later loss stops the L1 serving, not the application");
      assertTrue(store.stats().invalidated(InvalidationSource.RECONNECT) > 0);
    }
  }

  @Test
  void aNullInvalidationFlushesTheEndpoint() {
    Scope scope = startOn(REDIS.endpoint(), InvalidationSettings.defaults());
    fill(scope, "flag:a", "1");
    fill(store.scope(endpointOf(REDIS.endpoint()), 3, "default"), "flag:b", "1");

    outside.call("FLUSHALL");

    await(() -> store.get(scope, b("flag:a")) == null
        && store.get(store.scope(endpointOf(REDIS.endpoint()), 3, "default"), b("flag:b")) == null,
        "FLUSHALL from outside empties every database");
  }

  @Test
  void aReplyOnTheWireWhenTheInvalidationArrivesNeverFills() {
    Scope scope = startOn(REDIS.endpoint(), InvalidationSettings.defaults());
    InvalidationChannel channel = channels.channel(endpointOf(REDIS.endpoint()));
    long readToken = store.beginRead(); // a GET of user:2 is sent now and reads "old"
    long before = channel.invalidationsReceived.get();

    outside.call("SET", "user:2", "new");
    await(() -> channel.invalidationsReceived.get() > before, "the invalidation of user:2 arrived");

    assertFalse(store.fill(scope, b("user:2"), readToken, b("old"), TTL), "the old reply must not fill");
    assertNull(store.get(scope, b("user:2")));
    assertEquals(0, channel.losses.get(), "refused by the stale-fill guard, not by a lost channel");
  }

  @Test
  void aKilledChannelStopsServingAndIsFlushedBeforeServingAgain() {
    Scope scope = startOn(REDIS.endpoint(), InvalidationSettings.defaults());
    InvalidationChannel channel = channels.channel(endpointOf(REDIS.endpoint()));
    fill(scope, "user:3", "v");

    outside.call("CLIENT", "KILL", "ID", Long.toString(channelId()));

    await(() -> channel.losses.get() == 1, "the channel noticed it was killed");
    assertTrue(store.stats().invalidated(InvalidationSource.RECONNECT) > 0, "its endpoint was flushed");
    assertNull(store.get(scope, b("user:3")), "nothing served from a lost channel's endpoint");
    assertFalse(fillQuietly(scope, "user:4"), "nothing filled while the channel is down");
    await(() -> channel.confirmations.get() == 2 && scope.keyspace().endpointState().serving(),
        "the channel is back");
    assertNull(store.get(scope, b("user:3")), "the entry from before the loss was flushed");
    fill(scope, "user:3", "v2");
    outside.call("SET", "user:3", "v3");
    await(() -> store.get(scope, b("user:3")) == null, "the new channel delivers invalidations");
  }

  @Test
  void theCanaryFindsAChannelWhoseInvalidationsStopped() throws Exception {
    InvalidationSettings settings = InvalidationSettings.of(InvalidationSettings.Mode.TRACKING, false, Duration.ofMillis(100));
    Scope scope = startOn(REDIS.endpoint(), settings);
    InvalidationChannel channel = channels.channel(endpointOf(REDIS.endpoint()));
    fill(scope, "user:5", "v");

    long start = System.nanoTime();
    channel.sendOnTrackingConnection("CLIENT", "TRACKING", "off"); // the socket stays up, silent

    await(() -> channel.losses.get() == 1, "the canary noticed the silence");
    assertTrue(store.stats().invalidated(InvalidationSource.CANARY_FAILURE) > 0, "flushed for the canary");
    long detectedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    System.out.println("silent channel detected after " + detectedMillis + " ms (bound "
        + settings.detectionBound().toMillis() + " ms plus scheduling)");
    assertNull(store.get(scope, b("user:5")));
    await(() -> channel.confirmations.get() == 2, "a new channel replaces the silent one");
    fill(scope, "user:5", "v");
    outside.call("SET", "user:5", "new");
    await(() -> store.get(scope, b("user:5")) == null, "and it tracks again");
  }

  @Test
  void aStalledNetworkPathIsDetectedAndTheChannelComesBackWhenItClears() {
    try (TcpProxy proxy = TcpProxy.to(REDIS.endpoint())) {
      Scope scope = startOn(proxy.endpoint(), InvalidationSettings.of(InvalidationSettings.Mode.TRACKING, false, Duration.ofMillis(100)));
      InvalidationChannel channel = channels.channel(endpointOf(proxy.endpoint()));
      fill(scope, "user:6", "v");

      proxy.stall();
      await(() -> channel.losses.get() == 1, "the canary noticed the stall");
      assertNull(store.get(scope, b("user:6")));
      proxy.resume();
      await(() -> channel.confirmations.get() >= 2 && scope.keyspace().endpointState().serving(),
          "the channel is back once the path clears");
      assertNull(store.get(scope, b("user:6")), "flushed before serving again");
    }
  }

  /**
   * The lease: however the canary's loss detection is scheduled, no hit is answered once {@code
   * max-staleness} has passed since the channel's path stalled (its last proof was sent earlier).
   */
  @Test
  void noHitIsServedLaterThanMaxStalenessAfterTheChannelStalls() {
    Duration maxStaleness = Duration.ofMillis(60);
    try (TcpProxy proxy = TcpProxy.to(REDIS.endpoint())) {
      Scope scope = startOn(proxy.endpoint(),
          InvalidationSettings.of(InvalidationSettings.Mode.TRACKING, false, Duration.ofMillis(15), maxStaleness));
      fill(scope, "user:7", "v");

      long stalledAt = System.nanoTime();
      proxy.stall();
      long lastHitStartedAfterStall = -1;
      for (long start = System.nanoTime(); start - stalledAt < 3 * maxStaleness.toNanos(); start = System.nanoTime()) {
        if (store.get(scope, b("user:7")) != null) {
          lastHitStartedAfterStall = start - stalledAt;
        }
      }
      proxy.resume();
      assertTrue(lastHitStartedAfterStall < maxStaleness.toNanos(),
          "a hit began " + lastHitStartedAfterStall / 1_000 + " us after the stall");
    }
  }

  @Test
  void oneServerUnderTwoAddressesIsInvalidatedThroughEach() {
    try (TcpProxy otherAddress = TcpProxy.to(REDIS.endpoint())) {
      Scope direct = startOn(REDIS.endpoint(), InvalidationSettings.defaults());
      Scope viaOther = store.scope(endpointOf(otherAddress.endpoint()), 0, "default");
      await(() -> viaOther.keyspace().endpointState().serving(), "the second address has its own channel");
      fill(direct, "user:11", "v");
      fill(viaOther, "user:11", "v");

      outside.call("SET", "user:11", "w"); // through the first address only

      await(() -> store.get(direct, b("user:11")) == null && store.get(viaOther, b("user:11")) == null,
          "both addresses' entries dropped");
    }
  }

  @Test
  void aNetworkCutIsSurvivedWithAFlush() {
    try (TcpProxy proxy = TcpProxy.to(REDIS.endpoint())) {
      Scope scope = startOn(proxy.endpoint(), InvalidationSettings.defaults());
      InvalidationChannel channel = channels.channel(endpointOf(proxy.endpoint()));
      fill(scope, "user:9", "v");

      proxy.cut();

      await(() -> channel.losses.get() == 1, "the channel noticed the cut");
      await(() -> channel.confirmations.get() == 2 && scope.keyspace().endpointState().serving(), "back");
      assertNull(store.get(scope, b("user:9")), "flushed before serving again");
    }
  }

  @Test
  void aRedisRestartAtTheSameAddressIsSurvivedWithAFlush() {
    RedisHandle first = RedisServers.startEmbedded();
    try (TcpProxy proxy = TcpProxy.to(first.endpoint())) {
      Scope scope = startOn(proxy.endpoint(), InvalidationSettings.defaults());
      InvalidationChannel channel = channels.channel(endpointOf(proxy.endpoint()));
      fill(scope, "user:10", "v");

      first.close();
      await(() -> channel.losses.get() == 1, "the channel noticed the server going away");
      assertNull(store.get(scope, b("user:10")));
      try (RedisHandle second = RedisServers.startEmbedded();
          RespClient writer = second.endpoint().connect()) {
        proxy.retarget(second.endpoint());
        await(() -> channel.confirmations.get() == 2 && scope.keyspace().endpointState().serving(),
            "the channel is back on the restarted server");
        assertNull(store.get(scope, b("user:10")), "flushed: the restarted server may hold other data");
        fill(scope, "user:10", "v");
        writer.call("SET", "user:10", "w");
        await(() -> store.get(scope, b("user:10")) == null, "the restarted server tracks for us again");
      }
    } finally {
      first.close();
    }
  }

  @Test
  void aReplicasChannelSeesItsPrimarysWritesAndItsCanaryGoesThroughReplication() throws Exception {
    try (RedisHandle replica = RedisServers.startEmbedded(
            "--replicaof", REDIS.endpoint().host(), Integer.toString(REDIS.endpoint().port()));
        RespClient onReplica = replica.endpoint().connect()) {
      await(() -> ((String) onReplica.call("INFO", "replication")).contains("master_link_status:up"),
          "the replica synced");
      Scope scope = startOn(replica.endpoint(), InvalidationSettings.of(
          InvalidationSettings.Mode.TRACKING, false, Duration.ofMillis(50)));
      InvalidationChannel channel = channels.channel(endpointOf(replica.endpoint()));
      assertTrue(((String) outside.call("CLIENT", "LIST")).contains("name=redisl1-canary"),
          "the canary is written on the primary, not refused on the replica");
      fill(scope, "user:20", "old");

      outside.call("SET", "user:20", "new"); // on the primary

      await(() -> store.get(scope, b("user:20")) == null, "the replica reported the replicated write");
      long lossesBefore = channel.losses.get();
      // Replication stops: the canary written on the old primary never reaches this replica.
      onReplica.call("REPLICAOF", "NO", "ONE");
      await(() -> channel.losses.get() > lossesBefore, "the canary noticed replication stopped");
    }
  }

  @Test
  void aTlsEndpointGetsItsChannelOverTlsTrustingWhatTheApplicationTrusts(@TempDir Path dir) {
    try (TlsRedis redis = TlsRedis.start(dir);
        RespClient writer = redis.plain().connect()) {
      channels = InvalidationChannels.install(store, RULES, InvalidationSettings.defaults());
      channels.usesTls(endpointOf(redis.tls()), redis.socketFactory());
      Scope scope = store.scope(endpointOf(redis.tls()), 0, "default");
      await(() -> scope.keyspace().endpointState().serving(), "the TLS channel is confirmed");
      assertEquals(1, channels.channel(endpointOf(redis.tls())).confirmations.get(), "a channel, not TTL mode");
      fill(scope, "user:30", "old");

      writer.call("SET", "user:30", "new"); // over the plain port: one server, one keyspace

      await(() -> store.get(scope, b("user:30")) == null, "the invalidation came over TLS");
    }
  }

  @Test
  void aTlsServerTheTrustDoesNotVouchForRunsOnTtlsWithoutSendingCredentials(@TempDir Path dir) throws Exception {
    try (TlsRedis redis = TlsRedis.start(dir)) {
      channels = InvalidationChannels.install(store, RULES, InvalidationSettings.defaults());
      channels.authenticated(endpointOf(redis.tls()), "default", b("not-sent"));
      channels.usesTls(endpointOf(redis.tls()), null); // the JVM's default trust: not this self-signed one
      Scope scope = store.scope(endpointOf(redis.tls()), 0, "default");
      InvalidationChannel channel = channels.channel(endpointOf(redis.tls()));
      channel.awaitFirstOutcome(PATIENCE.toMillis());
      Thread.sleep(300); // the supervisor has given up: nothing changes after that

      assertEquals(0, channel.confirmations.get());
      assertTrue(scope.keyspace().endpointState().serving(), "invalidation: ttl behaviour");
    }
  }

  @Test
  void resp2SubscriberWithRedirectCarriesInvalidationsToo() {
    Scope scope = startOn(REDIS.endpoint(), InvalidationSettings.defaults().resp2Only());
    String clients = (String) outside.call("CLIENT", "LIST");
    assertTrue(clients.contains("redir="), clients);
    long named = clients.lines().filter(l -> l.contains("name=redisl1-invalidation")).count();
    assertEquals(2, named, "a subscriber and a tracking connection: " + clients);
    fill(scope, "user:x:7", "v");

    outside.call("SET", "user:x:7", "new");

    await(() -> store.get(scope, b("user:x:7")) == null, "the RESP2 subscriber got the invalidation");
  }

  @Test
  void aUserWhoMayNotWriteTheCanaryGetsThePingCheckAndStillSeesInvalidations() {
    outside.call("ACL", "SETUSER", "reader", "on", ">s3cret", "~user:*", "+@all");
    try {
      channels = InvalidationChannels.install(store, RULES, InvalidationSettings.defaults());
      channels.authenticated(endpointOf(REDIS.endpoint()), "reader", b("s3cret"));
      Scope scope = store.scope(endpointOf(REDIS.endpoint()), 0, "reader");
      await(() -> scope.keyspace().endpointState().serving(), "the channel is up as 'reader'");
      assertTrue(((String) outside.call("CLIENT", "LIST")).contains("user=reader"));
      fill(scope, "user:8", "v");

      outside.call("SET", "user:8", "new");

      await(() -> store.get(scope, b("user:8")) == null, "invalidations still arrive");
      assertEquals(0, channels.channel(endpointOf(REDIS.endpoint())).losses.get(),
          "the PING check keeps the channel up");
    } finally {
      outside.call("ACL", "DELUSER", "reader");
    }
  }

  @Test
  void aServerThatRefusesTrackingRunsOnTtlsOrUncachedWhenRequired() throws Exception {
    // A user who may not run CLIENT: to the channel this is a server that cannot track.
    outside.call("ACL", "SETUSER", "notrack", "on", ">pw", "~*", "&*", "+@all", "-client");
    try {
      for (boolean required : new boolean[] {false, true}) {
        L1Store own = L1Store.create(L1Settings.of(1 << 20, 1024));
        InvalidationChannels refused = InvalidationChannels.install(
            own, RULES, InvalidationSettings.of(InvalidationSettings.Mode.TRACKING, required, Duration.ofMillis(200)));
        try {
          refused.authenticated(endpointOf(REDIS.endpoint()), "notrack", b("pw"));
          Scope scope = own.scope(endpointOf(REDIS.endpoint()), 0, "notrack");
          InvalidationChannel channel = refused.channel(endpointOf(REDIS.endpoint()));
          channel.awaitFirstOutcome(PATIENCE.toMillis());
          Thread.sleep(300); // the supervisor has given up: nothing changes after that

          assertEquals(0, channel.confirmations.get());
          assertEquals(!required, scope.keyspace().endpointState().serving(),
              required ? "invalidation-required: uncached" : "invalidation: ttl behaviour");
          assertEquals(!required, own.fill(scope, b("user:12"), own.beginRead(), b("v"), TTL));
        } finally {
          refused.close();
        }
      }
    } finally {
      outside.call("ACL", "DELUSER", "notrack");
    }
  }

  private Scope startOn(RedisEndpoint redis, InvalidationSettings settings) {
    channels = InvalidationChannels.install(store, RULES, settings);
    Scope scope = store.scope(endpointOf(redis), 0, "default");
    await(() -> scope.keyspace().endpointState().serving(), "the channel to " + redis + " is confirmed");
    return scope;
  }

  private long channelId() {
    for (String line : ((String) outside.call("CLIENT", "LIST")).split("\n")) {
      if (line.contains("name=redisl1-invalidation")) {
        return Long.parseLong(line.substring(line.indexOf("id=") + 3, line.indexOf(' ')));
      }
    }
    throw new AssertionError("no invalidation channel in CLIENT LIST");
  }

  /**
   * Fills once the endpoint serves: on a machine starved of CPU a canary may miss its deadline,
   * which stops serving for a moment (the safe side); tests that must rule that out check losses.
   */
  private void fill(Scope scope, String key, String value) {
    await(() -> store.fill(scope, b(key), store.beginRead(), b(value), TTL), "fill " + key);
    assertNotNull(store.get(scope, b(key)));
  }

  private boolean fillQuietly(Scope scope, String key) {
    return store.fill(scope, b(key), store.beginRead(), b("v"), TTL);
  }

  private static String endpointOf(RedisEndpoint redis) {
    return redis.host() + ":" + redis.port();
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + PATIENCE + ": " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }
}
