package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import net.bytebuddy.asm.Advice;

/**
 * {@code CommandArgs#addKey(K)}: remembers a first argument that is a {@code String} key of the
 * UTF-8 {@code StringCodec}, whose bytes on the wire are then exactly its UTF-8 encoding (see
 * {@link io.redisl1.instrumentation.lettuce.support.Utf8KeyCarrier}).
 */
final class AddKeyAdvice {
  private AddKeyAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(
      @Advice.This CommandArgs<?, ?> args,
      @Advice.Argument(0) Object key,
      @Advice.FieldValue("codec") Object codec,
      @Advice.FieldValue(value = LettuceInstrumentationModule.UTF8_KEY_FIELD, readOnly = false) Object utf8Key) {
    if (codec == StringCodec.UTF8 && key instanceof String && args.count() == 0) {
      utf8Key = key;
    }
  }
}
