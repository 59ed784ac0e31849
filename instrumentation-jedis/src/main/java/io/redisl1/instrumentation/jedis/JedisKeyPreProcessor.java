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
  /** How one {@code CommandObjects} class tells whether a pre-processor is set. */
  private abstract static class Check {
    abstract boolean isSet(Object commandObjects) throws IllegalAccessException;
  }

  /** Jedis 4: no pre-processor exists. */
  private static final class NeverSet extends Check {
    @Override
    boolean isSet(Object commandObjects) {
      return false;
    }
  }

  /** A field that cannot be read: taken as set, so nothing is answered early. */
  private static final class Unknown extends Check {
    @Override
    boolean isSet(Object commandObjects) {
      return true;
    }
  }

  private static final class FieldRead extends Check {
    private final Field field;

    FieldRead(Field field) {
      this.field = field;
    }

    @Override
    boolean isSet(Object commandObjects) throws IllegalAccessException {
      return field.get(commandObjects) != null;
    }
  }

  private static final ClassValue<Check> CHECKS =
      new ClassValue<Check>() {
        @Override
        protected Check computeValue(Class<?> type) {
          try {
            Field f = type.getDeclaredField("keyPreProcessor");
            f.setAccessible(true);
            return new FieldRead(f);
          } catch (NoSuchFieldException noneBeforeJedis5) {
            return new NeverSet();
          } catch (RuntimeException cannotRead) {
            return new Unknown();
          }
        }
      };

  private JedisKeyPreProcessor() {}

  /** Whether {@code commandObjects} (of exactly the class {@code CommandObjects}) may send another key. */
  public static boolean isSet(Object commandObjects) throws IllegalAccessException {
    return CHECKS.get(commandObjects.getClass()).isSet(commandObjects);
  }
}
