package io.redisl1.store;

/**
 * Whether a client's {@code String} key is all ASCII, so that its bytes on the wire are its
 * characters whatever UTF-8 encoder the client uses: such a key is looked up without encoding it.
 */
public final class AsciiKeys {
  private AsciiKeys() {}

  public static boolean isAscii(String key) {
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
