package io.redisl1.instrumentation.jedis;

import java.lang.reflect.Field;

/**
 * Whether a Jedis {@code CommandObjects} has a key argument pre-processor (Jedis 5+), which makes
 * the key a command sends differ from the key given. Read on each early hit, since the application
 * may set one at any time; read reflectively rather than by rewriting {@code CommandObjects}, a class
 * of over a thousand methods whose rewriting cost the first {@code new Jedis()} a noticeable pause.
 * No client type here: this class loads on the bootstrap class path.
 */
public final class JedisKeyPreProcessor {
  private static final ClassValue<Field> FIELD =
      new ClassValue<Field>() {
        @Override
        protected Field computeValue(Class<?> type) {
          try {
            Field f = type.getDeclaredField("keyPreProcessor");
            f.setAccessible(true);
            return f;
          } catch (NoSuchFieldException noneBeforeJedis5) {
            return null;
          } catch (RuntimeException cannotRead) {
            return UNREADABLE;
          }
        }
      };
  /** Stands for a field that exists but cannot be read: treated as set, so nothing is answered early. */
  private static final Field UNREADABLE = JedisKeyPreProcessor.class.getDeclaredFields()[0];

  private JedisKeyPreProcessor() {}

  /** Whether {@code commandObjects} (of exactly the class {@code CommandObjects}) may send another key. */
  public static boolean isSet(Object commandObjects) throws IllegalAccessException {
    Field f = FIELD.get(commandObjects.getClass());
    return f != null && (f == UNREADABLE || f.get(commandObjects) != null);
  }
}
