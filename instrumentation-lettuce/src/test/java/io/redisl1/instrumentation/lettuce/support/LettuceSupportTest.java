package io.redisl1.instrumentation.lettuce.support;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Reading a command's arguments back from the RESP bytes Lettuce wrote for it. */
class LettuceSupportTest {

  @Test
  void readsEveryArgumentIncludingBinaryAndEmptyOnes() {
    byte[][] argv = LettuceSupport.argv(resp("*4\r\n$3\r\nSET\r\n$6\r\nuser:1\r\n$4\r\na\r\nb\r\n$0\r\n\r\n"));

    assertEquals(4, argv.length);
    assertEquals("SET", text(argv[0]));
    assertEquals("user:1", text(argv[1]));
    assertEquals("a\r\nb", text(argv[2]), "a value holding CRLF is read by its length");
    assertEquals("", text(argv[3]));
  }

  @Test
  void malformedOrTruncatedBytesReadAsNothing() {
    assertNull(LettuceSupport.argv(new byte[0]));
    assertNull(LettuceSupport.argv(resp("PING\r\n")), "an inline command");
    assertNull(LettuceSupport.argv(resp("*2\r\n$3\r\nGET\r\n")), "fewer arguments than announced");
    assertNull(LettuceSupport.argv(resp("*1\r\n$10\r\nGET\r\n")), "a length past the end");
    assertNull(LettuceSupport.argv(resp("*0\r\n")));
  }

  private static byte[] resp(String s) {
    return s.getBytes(UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, UTF_8);
  }
}
