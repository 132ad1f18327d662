package poreseg.util;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Library messages name the parameters of a call, never the flags of a front end: a message may
 * reference a parameter as {@code {name}} (camelCase, e.g. {@code {poreValue}}). {@link #plain}
 * renders it as the plain name ("poreValue"); the command line renders it as its flag ("--pore-value").
 */
public final class Messages {
    private static final Pattern PARAMETER = Pattern.compile("\\{([a-z0-9][A-Za-z0-9]*)\\}");

    private Messages() {
    }

    /** The template with every {@code {name}} replaced by {@code name.apply(name)}. */
    public static String render(String template, UnaryOperator<String> name) {
        if (template == null || template.indexOf('{') < 0) {
            return template;
        }
        Matcher m = PARAMETER.matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(name.apply(m.group(1))));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** The template with the parameter references as plain names. */
    public static String plain(String template) {
        return render(template, UnaryOperator.identity());
    }

    /** The kebab-case form of a camelCase name: {@code poreValue} -> {@code pore-value}. */
    public static String kebab(String camel) {
        StringBuilder b = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('-').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
