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

  /** A client's String key is matched as its UTF-8 bytes, ASCII or not, against ASCII prefixes or not. */
  @Test
  void aStringKeyMatchesExactlyAsItsUtf8Bytes() {
    KeyRules mixed = KeyRules.of(List.of(
        KeyRule.cached("user:", Duration.ofSeconds(1), false),
        KeyRule.cached("\u00e9:", Duration.ofSeconds(1), false),
        KeyRule.cached("\u20ac", Duration.ofSeconds(1), false)));
    for (String key : List.of("user:1", "user:", "user", "use", "", "user:\u00e9", "\u00fcser:1", "\u00e9:", "\u00e9",
        "\u00e9:x", "e:", "\u20ac", "\u20ac1", "\u00e2", "\ud83d\ude00user:", "x\u20ac")) {
      assertEquals(prefixOf(mixed.cachingRule(bytes(key))), prefixOf(mixed.cachingRule(key)), key);
    }
    assertEquals("\u00e9:", mixed.cachingRule("\u00e9:").prefix(), "two chars, three bytes, the whole prefix");
  }

  private static String prefixOf(KeyRule rule) {
    return rule == null ? null : rule.prefix();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
