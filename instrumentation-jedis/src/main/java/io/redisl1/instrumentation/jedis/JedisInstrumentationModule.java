package io.redisl1.instrumentation.jedis;

import static net.bytebuddy.matcher.ElementMatchers.declaresField;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redisl1.store.L1Log;
import io.redisl1.store.session.PoolScope;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.modifier.FieldManifestation;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.FieldAccessor;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Jedis 4.x and newer (proven on 4.4, 5.2, 6.2, 7.5 and 8.0): every command passes through {@code
 * redis.clients.jedis.Connection}, which gets a state field and four pieces of advice; connections
 * made by the cluster client are kept off the L1. Versions
 * whose {@code Connection} lacks any of the hooked members are left alone with one warning.
 * Shorter hit paths sit in front of it: {@code UnifiedJedis} answers a pooled GET before the borrow
 * ({@link PooledHitAdvice}), and {@code Jedis.get} / {@code UnifiedJedis.get} before the command is
 * built ({@link JedisGetAdvice}, {@link UnifiedJedisGetAdvice}); each falls through to the next.
 *
 * <p>Advice classes are named, never loaded: their code is inlined into Jedis's class loader, the
 * only place where Jedis types resolve.
 */
public final class JedisInstrumentationModule {
  static final String STATE_FIELD = "redisl1$state";
  static final String POOL_FIELD = "redisl1$pool";
  static final String POOLED_PROVIDER = "redis.clients.jedis.providers.PooledConnectionProvider";
  private static final String UNIFIED_JEDIS = "redis.clients.jedis.UnifiedJedis";
  private static final String JEDIS = "redis.clients.jedis.Jedis";
  private static final String CONNECTION = "redis.clients.jedis.Connection";
  private static final String COMMAND_ARGUMENTS = "redis.clients.jedis.CommandArguments";
  private static final String COMMAND_OBJECT = "redis.clients.jedis.CommandObject";
  private static final String CLUSTER_PROVIDER = "redis.clients.jedis.providers.ClusterConnectionProvider";
  private static final String CLUSTER_SLOT_CACHE = "redis.clients.jedis.JedisClusterInfoCache";
  private static final String ADVICE = JedisInstrumentationModule.class.getPackage().getName() + ".";

  private JedisInstrumentationModule() {}

  public static AgentBuilder instrument(AgentBuilder builder) {
    return builder
        .type(named(CONNECTION).and(JedisInstrumentationModule::isSupported))
        .transform(
            (type, typeDescription, loader, module, domain) ->
                type.defineField(
                        STATE_FIELD,
                        JedisConnectionState.class,
                        Visibility.PUBLIC,
                        FieldManifestation.VOLATILE)
                    .implement(JedisStateCarrier.class)
                    .intercept(FieldAccessor.ofField(STATE_FIELD)))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(JedisInstrumentationModule.class.getClassLoader())
                .advice(named("connect").and(takesArguments(0)), ADVICE + "ConnectAdvice")
                .advice(
                    named("sendCommand").and(takesArguments(1)).and(takesArgument(0, named(COMMAND_ARGUMENTS))),
                    ADVICE + "SendCommandAdvice")
                .advice(
                    named("readProtocolWithCheckingBroken").and(takesArguments(0)),
                    ADVICE + "ReadReplyAdvice")
                .advice(
                    named("executeCommand").and(takesArguments(1)).and(takesArgument(0, named(COMMAND_OBJECT))),
                    ADVICE + "ExecuteCommandAdvice"))
        // A pooled GET answered before a connection is borrowed; see PoolScope.
        .type(named(POOLED_PROVIDER))
        .transform(
            (type, typeDescription, loader, module, domain) ->
                type.defineField(POOL_FIELD, PoolScope.class, Visibility.PRIVATE, FieldManifestation.VOLATILE)
                    .implement(JedisPoolCarrier.class)
                    .intercept(FieldAccessor.ofField(POOL_FIELD)))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(JedisInstrumentationModule.class.getClassLoader())
                .advice(isConstructor(), ADVICE + "PoolCreatedAdvice")
                .advice(named("getConnection").and(returns(named(CONNECTION))), ADVICE + "PoolBorrowAdvice"))
        .type(named(CLUSTER_PROVIDER).or(named(CLUSTER_SLOT_CACHE)))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(JedisInstrumentationModule.class.getClassLoader())
                .advice(isMethod().and(not(isAbstract())), ADVICE + "ClusterTopologyAdvice")
                .advice(isConstructor(), ADVICE + "ClusterTopologyConstructorAdvice"))
        .type(named(CONNECTION).and(not(JedisInstrumentationModule::isSupported)))
        .transform(
            (type, typeDescription, loader, module, domain) -> {
              L1Log.warnOnce(
                  "jedis-unsupported",
                  "this Jedis version (" + where(domain) + ") is not supported (Jedis 4.x+ is); Jedis runs uncached");
              return type;
            });
  }

  /**
   * The types that only get advice, rewritten with a method graph of their declared methods only
   * ({@code Jedis} and {@code UnifiedJedis} implement thousands of interface methods): the pooled
   * hit path before the borrow, and GETs answered before their command is built.
   */
  public static AgentBuilder instrumentAdviceOnly(AgentBuilder builder) {
    return builder
        .type(named(UNIFIED_JEDIS))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(JedisInstrumentationModule.class.getClassLoader())
                .advice(
                    named("executeCommand").and(takesArguments(1)).and(takesArgument(0, named(COMMAND_OBJECT))),
                    ADVICE + "PooledHitAdvice")
                .advice(plainGet(), ADVICE + "UnifiedJedisGetAdvice"))
        .type(
            named(JEDIS)
                .and(declaresField(named("connection")))
                .and(declaresField(named("transaction")))
                .and(declaresField(named("pipeline")))
                .and(declaresField(named("commandObjects"))))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(JedisInstrumentationModule.class.getClassLoader())
                .advice(plainGet(), ADVICE + "JedisGetAdvice"));
  }

  /** {@code get(String)} and {@code get(byte[])}. */
  private static ElementMatcher.Junction<net.bytebuddy.description.method.MethodDescription> plainGet() {
    return named("get").and(takesArguments(1)).and(takesArgument(0, String.class).or(takesArgument(0, byte[].class)));
  }

  /** The hooks hold together only if every one of them is there; Jedis 3.x fails this. */
  static boolean isSupported(TypeDescription connection) {
    return has(connection, named("connect").and(takesArguments(0)))
        && has(connection, named("sendCommand").and(takesArguments(1)).and(takesArgument(0, named(COMMAND_ARGUMENTS))))
        && has(connection, named("readProtocolWithCheckingBroken").and(takesArguments(0)))
        && has(connection, named("executeCommand").and(takesArguments(1)).and(takesArgument(0, named(COMMAND_OBJECT))))
        && !connection.getDeclaredFields().filter(named("socket")).isEmpty();
  }

  private static boolean has(
      TypeDescription type,
      ElementMatcher<? super net.bytebuddy.description.method.MethodDescription> method) {
    return !type.getDeclaredMethods().filter(method).isEmpty();
  }

  private static String where(java.security.ProtectionDomain domain) {
    return domain == null || domain.getCodeSource() == null
        ? "unknown location"
        : String.valueOf(domain.getCodeSource().getLocation());
  }
}
