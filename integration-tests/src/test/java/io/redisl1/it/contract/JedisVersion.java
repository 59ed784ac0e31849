package io.redisl1.it.contract;

/** What the Jedis on the class path offers, for adapters whose API is not in every version. */
final class JedisVersion {
  private JedisVersion() {}

  static boolean has(String className) {
    try {
      Class.forName(className, false, JedisVersion.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static boolean hasConstructor(Class<?> type, Class<?>... parameters) {
    try {
      type.getConstructor(parameters);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
