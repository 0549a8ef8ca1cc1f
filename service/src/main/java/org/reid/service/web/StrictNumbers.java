package org.reid.service.web;

import java.beans.PropertyEditorSupport;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Ids and counts in paths and query strings are plain decimal digits. Spring's default number
 * conversion (Long.decode) read {@code 0x1}, {@code +1} and {@code 01} as 1, so
 * {@code DELETE /identities/0x1} erased identity 1; anything else is now a 400 naming the
 * parameter. A custom editor, because binders consult those before any converter.
 */
@ControllerAdvice
public class StrictNumbers {
    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)");

    @InitBinder
    void decimalIntegersOnly(WebDataBinder binder) {
        binder.registerCustomEditor(long.class, new Decimal(false, Long::parseLong));
        binder.registerCustomEditor(Long.class, new Decimal(true, Long::parseLong));
        binder.registerCustomEditor(int.class, new Decimal(false, Integer::parseInt));
        binder.registerCustomEditor(Integer.class, new Decimal(true, Integer::parseInt));
    }

    private static final class Decimal extends PropertyEditorSupport {
        private final boolean nullable;
        private final java.util.function.Function<String, Number> parse;

        Decimal(boolean nullable, java.util.function.Function<String, Number> parse) {
            this.nullable = nullable;
            this.parse = parse;
        }

        @Override
        public void setAsText(String text) {
            if (text == null || text.isEmpty()) {
                if (nullable) {
                    setValue(null);
                    return;
                }
                throw new IllegalArgumentException("empty: not a decimal integer");
            }
            if (!DECIMAL.matcher(text).matches()) {
                throw new IllegalArgumentException("not a decimal integer: '" + text + "'");
            }
            setValue(parse.apply(text)); // out of range: NumberFormatException, also a 400
        }
    }
}
