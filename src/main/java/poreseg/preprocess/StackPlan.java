package poreseg.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import poreseg.io.PixelType;
import poreseg.util.ParameterException;

/**
 * The steps of {@code poreseg preprocess}: per-slice steps with at most one {@code align}, which
 * splits them into the steps before alignment (also used to estimate the shifts) and after it.
 */
public record StackPlan(Pipeline before, boolean align, Pipeline after) {

    /** Parses a comma-separated step list that may contain one {@code align}. */
    public static StackPlan parse(String text) {
        String t = text == null ? "" : text.trim();
        List<String> pre = new ArrayList<>();
        List<String> post = new ArrayList<>();
        boolean align = false;
        if (!(t.isEmpty() || t.equalsIgnoreCase("raw") || t.equalsIgnoreCase("none"))) {
            for (String token : t.split(",", -1)) {
                String s = token.trim();
                if (s.toLowerCase(Locale.ROOT).equals("align")) {
                    if (align) {
                        throw new ParameterException("preprocessing step 'align' given twice");
                    }
                    align = true;
                    continue;
                }
                if (s.toLowerCase(Locale.ROOT).startsWith("align=")) {
                    throw new ParameterException("preprocessing step '" + s + "': takes no parameter; accepted: align");
                }
                (align ? post : pre).add(s);
            }
        }
        return new StackPlan(parseList(pre), align, parseList(post));
    }

    private static Pipeline parseList(List<String> tokens) {
        List<Step> steps = new ArrayList<>();
        for (String s : tokens) {
            steps.add(Pipeline.parseStep(s));
        }
        return new Pipeline(steps);
    }

    public PixelType outputType(PixelType in, boolean floatOutput) {
        return after.outputType(before.outputType(in, false), floatOutput);
    }

    /** Canonical text of all steps. */
    public String spec() {
        List<String> parts = new ArrayList<>();
        if (!before.isIdentity()) {
            parts.add(before.spec());
        }
        if (align) {
            parts.add("align");
        }
        if (!after.isIdentity()) {
            parts.add(after.spec());
        }
        return parts.isEmpty() ? "none" : String.join(",", parts);
    }
}
