package io.redisl1.it.contract;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * What the Jedis on the class path offers, and reflective calls for the adapters whose classes
 * are not in every version (a test class naming a missing class fails JUnit's discovery).
 */
final class JedisVersion {
  private JedisVersion() {}

  static boolean has(String className) {
    try {
      type(className);
      return true;
    } catch (IllegalStateException e) {
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

  static Class<?> type(String className) {
    try {
      return Class.forName(className, false, JedisVersion.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("this Jedis has no " + className, e);
    }
  }

  @SuppressWarnings("unchecked")
  static <T> T construct(String className, Class<?>[] parameters, Object... args) {
    try {
      return (T) type(className).getConstructor(parameters).newInstance(args);
    } catch (InvocationTargetException e) {
      throw rethrow(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + className, e);
    }
  }

  /** {@code target.name(args)}, or the static method when target is null. */
  static Object invoke(Class<?> type, Object target, String name, Class<?>[] parameters, Object... args) {
    try {
      Method method = type.getMethod(name, parameters);
      method.setAccessible(true); // builders declare their public methods on package-private bases
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw rethrow(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot call " + type.getName() + "." + name, e);
    }
  }

  private static RuntimeException rethrow(InvocationTargetException e) {
    return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
  }
}
