package io.redisl1.store.command;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisl1.store.command.CommandEffect.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** scripts: flush (default) empties the server's L1; scripts: declared-keys invalidates KEYS only. */
class ScriptsTest {
  @AfterEach
  void backToTheDefault() {
    Scripts.trustDeclaredKeys(false);
  }

  @Test
  void byDefaultEveryScriptFlushesTheServer() {
    assertEquals("FLUSH_ALL", classify("EVAL", "return 1", "1", "user:1"));
    assertEquals("FLUSH_ALL", classify("EVALSHA", "abc", "0"));
    assertEquals("FLUSH_ALL", classify("FCALL", "f", "2", "a", "b"));
  }

  @Test
  void trustedScriptsInvalidateExactlyTheirDeclaredKeys() {
    Scripts.trustDeclaredKeys(true);
    assertEquals("WRITE user:1 user:2", classify("EVAL", "redis.call('set', KEYS[1], ARGV[1])", "2", "user:1", "user:2", "arg"));
    assertEquals("WRITE k", classify("evalsha", "abc", "1", "k", "user:1"));
    assertEquals("WRITE a b", classify("FCALL", "f", "2", "a", "b"));
    assertEquals("NONE", classify("EVAL", "return 1", "0", "arg"), "no keys declared, none written");
  }

  @Test
  void aMalformedNumkeysStaysConservative() {
    Scripts.trustDeclaredKeys(true);
    assertEquals("FLUSH_ALL", classify("EVAL", "return 1", "3", "a"));
    assertEquals("FLUSH_ALL", classify("EVAL", "return 1", "-1"));
    assertEquals("FLUSH_ALL", classify("EVAL", "return 1", "many"));
    assertEquals("FLUSH_ALL", classify("EVAL", "return 1"));
  }

  @Test
  void readOnlyFormsNeverInvalidateInEitherMode() {
    for (boolean trust : new boolean[] {false, true}) {
      Scripts.trustDeclaredKeys(trust);
      assertEquals("NONE", classify("EVAL_RO", "return 1", "1", "user:1"));
      assertEquals("NONE", classify("EVALSHA_RO", "abc", "1", "user:1"));
      assertEquals("NONE", classify("FCALL_RO", "f", "1", "user:1"));
    }
  }

  private static String classify(String... args) {
    List<byte[]> argv = new ArrayList<>();
    for (String arg : args) {
      argv.add(arg.getBytes(UTF_8));
    }
    CommandEffect effect = CommandEffects.classify(argv.toArray(new byte[0][]));
    return effect.kind() == Kind.WRITE ? effect.toString() : effect.kind().name();
  }
}
