package io.redisl1.it.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.it.AgentRun;
import io.redisl1.it.AgentRun.Outcome;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import io.redisl1.testsupport.RespClient;
import io.redisl1.testsupport.TlsRedis;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writes from outside the JVM reach the application's Jedis and Lettuce GETs through the
 * invalidation channel, long before the rule TTL (60 s) would have let them.
 */
@ExtendWith(RedisServerExtension.class)
class OutsideWritesTest {
  static final String CONFIG =
      """
      rules:
        - prefix: "user:"
          ttl: 60s
      """;

  private final RedisEndpoint redis;

  OutsideWritesTest(RedisEndpoint redis) {
    this.redis = redis;
  }

  private Outcome run(String scenario, String client, String... more) {
    return runWith(CONFIG, scenario, client, more);
  }

  private Outcome runWith(String config, String scenario, String client, String... more) {
    Outcome o = AgentRun.withConfig(config).run(OutsideWritesProgram.class, scenario, redis, concat(client, more));
    assertEquals(0, o.result.exitCode(), o::toString);
    assertTrue(o.agentLines().stream().anyMatch(l -> l.contains("invalidation channel to " + redis.host())), o::toString);
    return o;
  }

  @ParameterizedTest
  @ValueSource(strings = {"jedis", "lettuce"})
  void everyOutsideWriteBecomesVisibleAndHitsStillHit(String client) {
    Outcome o = run("latency", client);

    System.out.printf("%s outside SET to visible in the app: p50 %s us, p99 %s us, max %s us over %s writes;"
            + " app GETs %s, at the server %s%n",
        client, o.get("visible.p50.us"), o.get("visible.p99.us"), o.get("visible.max.us"), o.get("rounds"),
        o.get("app.gets"), o.get("server.gets"));
    // Each write costs the app one miss (the read that sees it); the 20 reads after it are hits.
    assertTrue(o.number("server.gets") * 4 < o.number("app.gets"), "the L1 kept serving; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jedis", "lettuce"})
  void expireAndPersistFromOutsideAreHonoured(String client) {
    Outcome o = run("expire", client);

    System.out.println(client + ": PEXPIRE 300 from outside, gone from the app after " + o.get("expire.goneAfter.ms") + " ms");
    assertEquals(0, o.number("expire.existsOutside"));
    assertEquals("p", o.get("persist.app"));
    assertEquals("p", o.get("persist.outside"));
  }

  /** The channel authenticates as the application did: Jedis's AUTH, Lettuce's handshake. */
  @ParameterizedTest
  @ValueSource(strings = {"jedis", "lettuce"})
  void theChannelAuthenticatesAsTheApplication(String client) {
    try (RespClient admin = redis.connect()) {
      admin.call("ACL", "SETUSER", "app", "on", ">app-pw", "~*", "&*", "+@all");
      admin.call("ACL", "SETUSER", "default", "resetpass", ">admin-pw");
      try {
        Outcome o = run("acl", client, "admin-pw");

        assertEquals("app", o.get("channel.users"), o::toString);
        assertTrue(o.number("server.gets") * 4 < o.number("app.gets"), "the L1 kept serving; " + o);
        assertTrue(o.result.stderr().indexOf("app-pw") < 0, "a password was logged: " + o);
      } finally {
        admin.call("AUTH", "admin-pw");
        admin.call("ACL", "SETUSER", "default", "nopass");
        admin.call("ACL", "DELUSER", "app");
      }
    }
  }

  /**
   * Over TLS the channel trusts what the application trusts: Jedis's own socket factory, Lettuce's
   * own {@code SslOptions} trust store. This JVM's default SSL context trusts nothing of the
   * test's, so a channel that fell back to it would not come up.
   */
  @ParameterizedTest
  @ValueSource(strings = {"jedis", "lettuce"})
  void aTlsEndpointHasItsChannelOverTls(String client, @TempDir Path dir) {
    try (TlsRedis tls = TlsRedis.start(dir)) {
      AgentRun run = AgentRun.withConfig(CONFIG);
      Outcome o = run.run(OutsideWritesProgram.class, "tls", tls.tls(), client,
          Integer.toString(tls.plain().port()), tls.trustStore().toString());

      assertEquals(0, o.result.exitCode(), o::toString);
      assertTrue(o.agentLines().stream().anyMatch(l -> l.contains("invalidation channel to " + tls.tls().host() + ":" + tls.tls().port() + " up")),
          o::toString);
      System.out.printf("%s over TLS: outside SET to visible p50 %s us, p99 %s us%n",
          client, o.get("visible.p50.us"), o.get("visible.p99.us"));
      assertTrue(o.number("server.gets") * 4 < o.number("app.gets"), "the L1 kept serving; " + o);
    }
  }

  /**
   * While the file is polled, Redis pushes writes of cached prefixes only (a write elsewhere costs
   * it no push and its writer no wait); a rule the reload adds is tracked before it serves.
   */
  @ParameterizedTest
  @ValueSource(strings = {"jedis", "lettuce"})
  void aReloadedRuleIsTrackedBeforeItServesAndOtherKeysAreNot(String client) {
    Outcome o = runWith("reload-interval: 100ms\n" + CONFIG, "reload", client);

    System.out.printf("%s: a rule added by reload served %s ms after the file changed; outside SET to visible"
            + " p50 %s us, p99 %s us%n", client, o.get("reload.servedAfter.ms"), o.get("visible.p50.us"), o.get("visible.p99.us"));
    assertEquals(2, o.number("prefixes.before"), "user: and the canary's prefix, not every key; " + o);
    assertEquals(3, o.number("prefixes.after"), "item: added; " + o);
    assertTrue(o.agentLines().stream().anyMatch(l -> l.contains("invalidation channels now track 3 prefixes: 'user:' 'item:'")
        || l.contains("invalidation channels now track 3 prefixes: 'item:' 'user:'")), o::toString);
    assertTrue(o.number("server.gets") * 4 < o.number("app.gets"), "the L1 kept serving; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jedis", "lettuce"})
  void flushAllFromOutsideEmptiesTheL1(String client) {
    Outcome o = run("flushall", client);

    System.out.println(client + ": FLUSHALL from outside visible after " + o.get("flushall.visible.us") + " us");
  }

  private static String[] concat(String first, String... more) {
    String[] all = new String[more.length + 1];
    all[0] = first;
    System.arraycopy(more, 0, all, 1, more.length);
    return all;
  }
}
