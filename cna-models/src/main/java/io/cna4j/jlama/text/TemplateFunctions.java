package io.cna4j.jlama.text;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * The functions {@code transformers} gives chat templates: {@code raise_exception} and {@code strftime_now}.
 * Public only because Jinjava calls them by reflection.
 */
public final class TemplateFunctions {
    private TemplateFunctions() {}

    /** {@code raise_exception(message)}: fails the render, as Jinja's {@code TemplateError} does in Python. */
    public static String raiseException(String message) {
        throw new IllegalArgumentException("the chat template raised: " + message);
    }

    /** {@code strftime_now(format)}: the current local time in Python's {@code strftime} format. */
    public static String strftimeNow(String format) {
        return strftime(LocalDateTime.now(), format);
    }

    /** Python's {@code strftime} for the directives chat templates use ({@code %d %b %B %Y %y %m %H %M %S %A %a %j %%}). */
    static String strftime(LocalDateTime t, String format) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                sb.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'd' -> sb.append(String.format(Locale.ROOT, "%02d", t.getDayOfMonth()));
                case 'm' -> sb.append(String.format(Locale.ROOT, "%02d", t.getMonthValue()));
                case 'Y' -> sb.append(t.getYear());
                case 'y' -> sb.append(String.format(Locale.ROOT, "%02d", t.getYear() % 100));
                case 'b' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
                case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
                case 'H' -> sb.append(String.format(Locale.ROOT, "%02d", t.getHour()));
                case 'M' -> sb.append(String.format(Locale.ROOT, "%02d", t.getMinute()));
                case 'S' -> sb.append(String.format(Locale.ROOT, "%02d", t.getSecond()));
                case 'j' -> sb.append(String.format(Locale.ROOT, "%03d", t.getDayOfYear()));
                case '%' -> sb.append('%');
                default -> throw new IllegalArgumentException("strftime_now: unsupported directive %" + d + " in \"" + format + "\"");
            }
        }
        return sb.toString();
    }
}
