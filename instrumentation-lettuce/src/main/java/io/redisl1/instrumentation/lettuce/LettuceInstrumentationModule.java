package io.redisl1.instrumentation.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redisl1.instrumentation.lettuce.support.CommandReply;
import io.redisl1.instrumentation.lettuce.support.L1Carrier;
import io.redisl1.instrumentation.lettuce.support.LettuceConnectionL1;
import io.redisl1.instrumentation.lettuce.support.OutputAccess;
import io.redisl1.instrumentation.lettuce.support.ReplyCarrier;
import io.redisl1.instrumentation.lettuce.support.Utf8KeyCarrier;
import io.redisl1.instrumentation.lettuce.support.WireCarrier;
import io.redisl1.store.L1Log;
import java.nio.ByteBuffer;
import java.util.Collection;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.modifier.FieldManifestation;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.implementation.FieldAccessor;

/**
 * Lettuce 6.0 and newer (proven on 6.8 and 7.7): standalone connections made by {@code
 * RedisClient}, whatever the API style, since sync, async and reactive commands all pass through
 * {@code StatefulRedisConnectionImpl#dispatch}.
 *
 * <ul>
 *   <li>{@code StatefulRedisConnectionImpl}: a state field; {@code dispatch} answers GETs and
 *       prepares every other command ({@link DispatchAdvice}, {@link DispatchAllAdvice}).
 *   <li>{@code FutureSyncInvocationHandler#handleInvocation}: a sync {@code get} answered before
 *       Lettuce builds its command ({@link SyncGetAdvice}).
 *   <li>{@code AbstractRedisAsyncCommands#get}: an async GET's completed future made before
 *       Lettuce builds the command's arguments ({@link AsyncGetAdvice}).
 *   <li>{@code CommandArgs#addKey}: a first key the UTF-8 {@code StringCodec} encodes, kept as it
 *       is so a GET is looked up without encoding it ({@link AddKeyAdvice}).
 *   <li>{@code Command#encode}: the bytes Lettuce writes, read back to tell the session what each
 *       command does ({@link EncodeAdvice}); {@code Command} carries the command's pending reply
 *       from dispatch to there.
 *   <li>{@code DefaultEndpoint#notifyChannelActive}: the socket's server, database and user after
 *       Lettuce's handshake ({@link ChannelActiveAdvice}).
 *   <li>{@code CommandOutput} carries the command's pending reply; {@code ValueOutput#set} captures
 *       raw bulk replies, {@code CommandHandler#complete} hands replies over before the app sees
 *       them, {@code MultiOutput#complete} hands EXEC's over before the queued commands complete.
 *   <li>{@code CommandHandler#write}: the agent's own PTTL written ahead of each GET that may fill
 *       ({@link PttlAheadAdvice}), kept out of Lettuce's latency metrics ({@link
 *       PttlLatencyAdvice}).
 *   <li>{@code RedisChannelHandler#setAutoFlushCommands}: no L1 answers while commands are held.
 * </ul>
 *
 * <p>Cluster ({@code StatefulRedisClusterConnectionImpl}), pub/sub and master/replica connections
 * are not instrumented and run exactly as without the agent. Lettuce 5.x applies its database and
 * password through {@code dispatch} after connecting rather than in a handshake, which this module
 * does not model: it is skipped with one warning.
 *
 * <p>Advice classes are named, never loaded: their code is inlined into Lettuce's class loader,
 * the only place where Lettuce and Netty types resolve.
 */
public final class LettuceInstrumentationModule {
  static final String STATE_FIELD = "redisl1$l1";
  static final String WIRE_FIELD = "redisl1$wire";
  static final String UTF8_KEY_FIELD = "redisl1$utf8Key";
  private static final String REPLY_FIELD = "redisl1$reply";
  private static final String ADVICE = LettuceInstrumentationModule.class.getPackage().getName() + ".";
  /** Added in Lettuce 6.0 with the RESP3 handshake. */
  private static final String MARKER_6_0 = "io/lettuce/core/ConnectionState.class";
  private static final String ANY_LETTUCE = "io/lettuce/core/RedisClient.class";

  private LettuceInstrumentationModule() {}

  public static AgentBuilder instrument(AgentBuilder builder) {
    ClassLoader ours = LettuceInstrumentationModule.class.getClassLoader();
    return builder
        .type(lettuceType("io.lettuce.core.output.CommandOutput"))
        .transform(
            (type, description, loader, module, domain) ->
                type.defineField(REPLY_FIELD, CommandReply.class, Visibility.PRIVATE, FieldManifestation.VOLATILE)
                    .implement(ReplyCarrier.class)
                    .intercept(FieldAccessor.ofField(REPLY_FIELD))
                    .implement(OutputAccess.class)
                    .method(named("redisl1$codec"))
                    .intercept(FieldAccessor.ofField("codec"))
                    .method(named("redisl1$output"))
                    .intercept(FieldAccessor.ofField("output")))
        .type(lettuceType("io.lettuce.core.protocol.Command"))
        .transform(
            (type, description, loader, module, domain) ->
                type.defineField(WIRE_FIELD, CommandReply.class, Visibility.PRIVATE, FieldManifestation.VOLATILE)
                    .implement(WireCarrier.class)
                    .intercept(FieldAccessor.ofField(WIRE_FIELD)))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(ours)
                .advice(
                    named("encode").and(takesArguments(1)).and(takesArgument(0, named("io.netty.buffer.ByteBuf"))),
                    ADVICE + "EncodeAdvice"))
        .type(lettuceType("io.lettuce.core.protocol.CommandArgs"))
        .transform(
            (type, description, loader, module, domain) ->
                type.defineField(UTF8_KEY_FIELD, Object.class, Visibility.PRIVATE)
                    .implement(Utf8KeyCarrier.class)
                    .intercept(FieldAccessor.ofField(UTF8_KEY_FIELD)))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(ours)
                .advice(named("addKey").and(takesArguments(1)).and(takesArgument(0, Object.class)), ADVICE + "AddKeyAdvice"))
        .type(lettuceType("io.lettuce.core.output.ValueOutput"))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(ours)
                .advice(
                    named("set").and(takesArguments(1)).and(takesArgument(0, ByteBuffer.class)),
                    ADVICE + "ValueOutputAdvice"))
        .type(lettuceType("io.lettuce.core.output.MultiOutput"))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(ours)
                .advice(named("complete").and(takesArguments(int.class)), ADVICE + "MultiOutputAdvice"))
        .type(lettuceType("io.lettuce.core.StatefulRedisConnectionImpl"))
        .transform(
            (type, description, loader, module, domain) ->
                type.defineField(STATE_FIELD, LettuceConnectionL1.class, Visibility.PUBLIC, FieldManifestation.VOLATILE)
                    .implement(L1Carrier.class)
                    .intercept(FieldAccessor.ofField(STATE_FIELD)))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(ours)
                .advice(
                    named("dispatch")
                        .and(takesArguments(1))
                        .and(takesArgument(0, named("io.lettuce.core.protocol.RedisCommand"))),
                    ADVICE + "DispatchAdvice")
                .advice(
                    named("dispatch").and(takesArguments(1)).and(takesArgument(0, Collection.class)),
                    ADVICE + "DispatchAllAdvice"))
        .type(lettuceType("io.lettuce.core.FutureSyncInvocationHandler"))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(ours)
                .advice(named("handleInvocation").and(takesArguments(3)), ADVICE + "SyncGetAdvice"))
        .type(lettuceType("io.lettuce.core.AbstractRedisAsyncCommands"))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(ours)
                .advice(named("get").and(takesArguments(1)), ADVICE + "AsyncGetAdvice"))
        .type(lettuceType("io.lettuce.core.RedisChannelHandler"))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(ours)
                .advice(
                    named("setAutoFlushCommands").and(takesArguments(boolean.class)),
                    ADVICE + "AutoFlushAdvice"))
        .type(lettuceType("io.lettuce.core.protocol.DefaultEndpoint"))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(ours)
                .advice(
                    named("notifyChannelActive").and(takesArguments(1)),
                    ADVICE + "ChannelActiveAdvice"))
        .type(lettuceType("io.lettuce.core.protocol.CommandHandler"))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(ours)
                .advice(
                    named("complete")
                        .and(takesArguments(1))
                        .and(takesArgument(0, named("io.lettuce.core.protocol.RedisCommand"))),
                    ADVICE + "CommandCompleteAdvice")
                .advice(
                    named("write")
                        .and(takesArguments(3))
                        .and(takesArgument(0, named("io.netty.channel.ChannelHandlerContext")))
                        .and(takesArgument(1, Object.class)),
                    ADVICE + "PttlAheadAdvice")
                .advice(
                    named("potentiallyWrapLatencyCommand").and(takesArguments(1)),
                    ADVICE + "PttlLatencyAdvice"));
  }

  /**
   * Matches {@code name} in a class loader with a supported Lettuce. The name is compared first:
   * the loader check looks up resources and would otherwise run for every class the JVM loads.
   */
  private static AgentBuilder.RawMatcher lettuceType(String name) {
    return (type, loader, module, redefined, domain) -> type.getName().equals(name) && isSupported(loader);
  }

  static boolean isSupported(ClassLoader loader) {
    if (loader == null) {
      return false;
    }
    if (loader.getResource(MARKER_6_0) != null) {
      return true;
    }
    if (loader.getResource(ANY_LETTUCE) != null) {
      L1Log.warnOnce(
          "lettuce-unsupported",
          "this Lettuce version (" + loader.getResource(ANY_LETTUCE)
              + ") is not supported (Lettuce 6.0+ is); Lettuce runs uncached");
    }
    return false;
  }
}
