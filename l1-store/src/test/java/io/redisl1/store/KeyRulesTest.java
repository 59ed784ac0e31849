package io.redisl1.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyRulesTest {
  private final KeyRules rules =
      KeyRules.of(
          List.of(
              KeyRule.cached("user:", Duration.ofSeconds(60), false),
              KeyRule.bypassed("user:session:"),
              KeyRule.cached("user:session:sticky:", Duration.ofSeconds(5), true)));

  @Test
  void theLongestMatchingPrefixWins() {
    assertEquals("user:", rules.cachingRule(bytes("user:42")).prefix());
    assertNull(rules.cachingRule(bytes("user:session:1")));
    assertEquals("user:session:sticky:", rules.cachingRule(bytes("user:session:sticky:1")).prefix());
  }

  @Test
  void keysNoRuleMatchesAreNotCached() {
    assertNull(rules.cachingRule(bytes("order:1")));
    assertNull(rules.cachingRule(bytes("user")));
  }

  @Test
  void theEmptyPrefixMatchesEveryKey() {
    KeyRules all = KeyRules.of(List.of(KeyRule.cached("", Duration.ofSeconds(1), false)));
    assertEquals("", all.cachingRule(bytes("anything")).prefix());
    assertEquals("", all.cachingRule(new byte[0]).prefix());
  }

  @Test
  void prefixesCompareRawBytes() {
    KeyRules utf8 = KeyRules.of(List.of(KeyRule.cached("café:", Duration.ofSeconds(1), false)));
    assertEquals("café:", utf8.cachingRule(bytes("café:1")).prefix());
    assertNull(utf8.cachingRule(bytes("cafe:1")));
  }

  @Test
  void cachesAnythingIsFalseWhenEveryRuleBypasses() {
    assertFalse(KeyRules.of(List.of(KeyRule.bypassed("x"))).cachesAnything());
    assertTrue(rules.cachesAnything());
    assertFalse(KeyRules.none().cachesAnything());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
