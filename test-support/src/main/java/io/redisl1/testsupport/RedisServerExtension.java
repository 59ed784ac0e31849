package io.redisl1.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Redis per test class (see {@link RedisServers#start()} for where it comes from),
 * injected as a {@link RedisEndpoint} parameter. Either form works:
 *
 * <pre>{@code
 * @ExtendWith(RedisServerExtension.class)
 * class FooTest { @Test void t(RedisEndpoint redis) { ... } }
 *
 * class BarTest {
 *   @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();
 *   @Test void t() { redis.endpoint() ... }
 * }
 * }</pre>
 *
 * <p>Register it on a static field: an instance field registers too late for beforeAll. The server
 * lives in the class-level store, so {@code @Nested} classes reuse their outer class's server
 * instead of starting their own. The server is shared by all tests of the class: reset state
 * ({@link RespClient#flushAll()}) in {@code @BeforeEach} where it matters.
 */
public final class RedisServerExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(RedisServerExtension.class);
  private static final String KEY = "redis";

  /** For {@link #endpoint()}; the store is the source of truth. */
  private volatile RedisHandle current;

  @Override
  public void beforeAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    RedisHandle handle = store.get(KEY, RedisHandle.class); // found here if an outer class started one
    if (handle == null) {
      handle = RedisServers.start();
      store.put(KEY, handle);
    }
    current = handle;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    // remove() sees only this class's own entry, so a @Nested class never stops its outer's server.
    RedisHandle own = context.getStore(NAMESPACE).remove(KEY, RedisHandle.class);
    if (own != null) {
      own.close();
      current = null;
    }
  }

  /** The current class's server; only valid between beforeAll and afterAll. */
  public RedisEndpoint endpoint() {
    RedisHandle handle = current;
    if (handle == null) {
      throw new IllegalStateException(
          "no Redis started: register RedisServerExtension on a static field and use it in tests");
    }
    return handle.endpoint();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RedisEndpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    RedisHandle handle = context.getStore(NAMESPACE).get(KEY, RedisHandle.class);
    if (handle == null) {
      throw new ParameterResolutionException(
          "RedisServerExtension has no server here: register it on the test class"
              + " (@ExtendWith or a static @RegisterExtension field), not on a method");
    }
    return handle.endpoint();
  }
}
