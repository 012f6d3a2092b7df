package dev.prefalign.trainer.tokenizer;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** The globals transformers registers for chat templates, as static methods Jinjava can call. */
final class TemplateFunctions {

    private TemplateFunctions() {}

    /** A template's own {@code raise_exception(message)}: the message is what the user needs to see. */
    static final class RaisedException extends RuntimeException {
        RaisedException(String message) {
            super(message);
        }
    }

    /** {@code raise_exception(message)}: aborts the render with the template's message. */
    public static String raiseException(Object message) {
        throw new RaisedException(String.valueOf(message));
    }

    /**
     * {@code strftime_now(format)}: the local date and time as Python's {@code datetime.now().strftime(format)} writes
     * it in the C locale (Llama 3.2 templates put today's date in the system prompt with it).
     */
    public static String strftimeNow(String format) {
        return strftime(LocalDateTime.now(), format);
    }

    static String strftime(LocalDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (++i == format.length()) {
                out.append('%');
                break;
            }
            char directive = format.charAt(i);
            switch (directive) {
                case 'd' -> out.append(two(t.getDayOfMonth()));
                case 'm' -> out.append(two(t.getMonthValue()));
                case 'Y' -> out.append(String.format("%04d", t.getYear()));
                case 'y' -> out.append(two(t.getYear() % 100));
                case 'H' -> out.append(two(t.getHour()));
                case 'I' -> out.append(two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12));
                case 'M' -> out.append(two(t.getMinute()));
                case 'S' -> out.append(two(t.getSecond()));
                case 'f' -> out.append(String.format("%06d", t.getNano() / 1000));
                case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
                case 'b' -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'B' -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'a' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'j' -> out.append(String.format("%03d", t.getDayOfYear()));
                case '%' -> out.append('%');
                default -> throw new IllegalArgumentException("strftime_now: unsupported directive %" + directive
                    + " in \"" + format + "\" (supported: %d %m %Y %y %H %I %M %S %f %p %b %B %a %A %j %%)");
            }
        }
        return out.toString();
    }

    private static String two(int value) {
        return String.format("%02d", value);
    }
}
