package poreseg.synth;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import poreseg.util.ParameterException;

/**
 * Microstructure and imaging parameters of the synthetic model beyond {@link SynthParams}' basics.
 * {@link #DEFAULT} is the fixed model of {@code poreseg synth} (its data is unchanged by this
 * record's existence); {@link DomainRandomizer} draws every field per stack for domain-randomised
 * training data ({@link SynthParams#randomized}). All lengths in nm, grey levels in units of the mean
 * solid signal.
 *
 * <p>Pore families (all exact in the truth; see {@link PoreGeometry}):
 * <ul>
 * <li>intergranular pores along the grain-boundary network (always; their width is calibrated to
 * the requested porosity);</li>
 * <li>small closed round pores inside grains ({@code intraShare} of the porosity, radius around
 * {@code intraRadius});</li>
 * <li>large voids between primary grains: a fraction {@code voidGrains} of the grains is missing, so
 * the void has the neighbouring grains' faces as walls (back walls shine through, edges glow);</li>
 * <li>thin cracks along grain boundaries over many grains (half-width {@code crackWidth}, 0 = none;
 * {@code crackDensity} the share of the boundary network that is cracked);</li>
 * <li>open pores at the particle surface (particle mode): grains within about one grain width of the
 * outline are missing with probability {@code openPores}.</li>
 * </ul>
 *
 * @param grainWidth    primary grain width across the radius, nm (default 150)
 * @param elongation    grain length / width along the particle radius (default 2.3)
 * @param bendAmp       warp of the grain space (curved boundaries), grain cells (default 0.35)
 * @param junctionGain  widening of intergranular pores at triple junctions (default 2.5)
 * @param roughAmp      wall roughness of intergranular pores (default 0.5)
 * @param intraShare    share of the requested porosity in closed intragranular pores (default 0.2)
 * @param intraRadius   median radius of intragranular pores, nm (default 22)
 * @param voidGrains    fraction of grains missing (large intergranular voids; default 0)
 * @param crackWidth    half-width of grain-boundary cracks, nm (0 = no cracks; default 0)
 * @param crackDensity  share of the boundary network that is cracked, 0..1 (default 0)
 * @param openPores     particle mode: probability that a grain at the outline is missing (default 0)
 * @param toneSd        channelling contrast: SD of the grain grey levels (default 0.12)
 * @param wallGain      brightness of pore back walls seen through the opening (default 0.55)
 * @param depthDecay    attenuation length of the back-wall signal, nm (default 50)
 * @param maxDepth      depth beyond which a pore shows the void level, nm (default 300)
 * @param voidLevel     signal of an empty pore (default 0.05)
 * @param rimGain       brightening of solid at pore edges (default 0.5)
 * @param rimNm         width of the bright rims, nm (default 12)
 * @param psfNm         probe (point-spread) Gaussian sigma, nm (default 8)
 * @param curtainAmp    curtaining stripe strength (default 0.09)
 * @param curtainAngle  angle of the curtains from the vertical, degrees (default 0)
 * @param shading       strength of the shading gradients, x the default (default 1)
 * @param charging      strength of slow bright charging blotches (default 0)
 * @param scanJitter    scan-line gain jitter SD (default 0.006)
 * @param readNoise     Gaussian read noise, electrons at the default dose (default 1.2)
 * @param ampLag        one-pole low-pass along the scan line, 0..0.9 (default 0.35)
 * @param levels        false (default): detector offset 1500 + gain into 16 bits; true: the signal
 *                      range [black, white] is mapped to the output range with gamma, clipping
 *                      (saturation) at both ends, {@code bits} quantisation and {@code inverted}
 * @param black         signal mapped to 0 (levels only)
 * @param white         signal mapped to full scale (levels only)
 * @param gamma         output gamma, (v)^gamma on the 0..1 scale (levels only; default 1)
 * @param bits          8 or 16: quantisation of the output (levels only; 8-bit values are stored x 257)
 * @param inverted      polarity: pores bright, solid dark (levels only)
 */
public record Appearance(double grainWidth, double elongation, double bendAmp, double junctionGain, double roughAmp,
        double intraShare, double intraRadius, double voidGrains, double crackWidth, double crackDensity, double openPores,
        double toneSd, double wallGain, double depthDecay, double maxDepth, double voidLevel, double rimGain, double rimNm,
        double psfNm, double curtainAmp, double curtainAngle, double shading, double charging, double scanJitter,
        double readNoise, double ampLag, boolean levels, double black, double white, double gamma, int bits,
        boolean inverted) {

    /** The fixed model of {@code poreseg synth} (generator version 1 data, byte for byte). */
    public static final Appearance DEFAULT = new Appearance(150, 2.3, 0.35, 2.5, 0.5, 0.2, 22, 0, 0, 0, 0,
            0.12, 0.55, 50, 300, 0.05, 0.5, 12, 8, 0.09, 0, 1, 0, 0.006, 1.2, 0.35, false, 0, 1, 1, 16, false);

    public Appearance {
        check("grainWidth", grainWidth, 40, 1000);
        check("elongation", elongation, 1, 4);
        check("bendAmp", bendAmp, 0, 1);
        check("junctionGain", junctionGain, 0, 10);
        check("roughAmp", roughAmp, 0, 0.95);
        check("intraShare", intraShare, 0, 0.9);
        check("intraRadius", intraRadius, 3, 200);
        check("voidGrains", voidGrains, 0, 0.5);
        check("crackWidth", crackWidth, 0, 50);
        check("crackDensity", crackDensity, 0, 1);
        check("openPores", openPores, 0, 1);
        check("toneSd", toneSd, 0, 0.5);
        check("wallGain", wallGain, 0, 2);
        check("depthDecay", depthDecay, 5, 2000);
        check("maxDepth", maxDepth, 20, 2000);
        check("voidLevel", voidLevel, 0, 1);
        check("rimGain", rimGain, 0, 3);
        check("rimNm", rimNm, 1, 200);
        check("psfNm", psfNm, 0.5, 100);
        check("curtainAmp", curtainAmp, 0, 1);
        check("curtainAngle", curtainAngle, -45, 45);
        check("shading", shading, 0, 20);
        check("charging", charging, 0, 2);
        check("scanJitter", scanJitter, 0, 0.2);
        check("readNoise", readNoise, 0, 50);
        check("ampLag", ampLag, 0, 0.9);
        check("gamma", gamma, 0.2, 5);
        if (!(white > black)) {
            throw new ParameterException("white level must be above black level, got " + black + ", " + white);
        }
        if (bits != 8 && bits != 16) {
            throw new ParameterException("bits must be 8 or 16, got " + bits);
        }
    }

    private static void check(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new ParameterException(name + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }

    /** True when cracks are drawn. */
    public boolean cracks() {
        return crackWidth > 0 && crackDensity > 0;
    }

    /**
     * This appearance with some fields replaced, by name ({@code "wallGain=1.3,depthDecay=400"}: the
     * record's component names, as in truth.json's "appearance"; numbers for the numeric fields,
     * {@code true}/{@code false} for {@code levels} and {@code inverted}). Every value is checked as
     * the constructor checks it.
     *
     * @throws ParameterException for a malformed pair, an unknown name (the message lists the names),
     *                            a name given twice or a value out of range
     */
    public Appearance with(String overrides) {
        RecordComponent[] comps = Appearance.class.getRecordComponents();
        Object[] values = toMap().values().toArray();
        Class<?>[] types = Arrays.stream(comps).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Set<String> seen = new HashSet<>();
        for (String pair : overrides.split(",")) {
            String t = pair.strip();
            int eq = t.indexOf('=');
            if (eq <= 0 || eq == t.length() - 1) {
                throw new ParameterException("appearance override must be NAME=VALUE, got '" + t + "'");
            }
            String name = t.substring(0, eq).strip();
            String value = t.substring(eq + 1).strip();
            int i = 0;
            while (i < comps.length && !comps[i].getName().equals(name)) {
                i++;
            }
            if (i == comps.length) {
                throw new ParameterException("unknown appearance parameter '" + name + "'; known: "
                        + String.join(", ", Arrays.stream(comps).map(RecordComponent::getName).toList()));
            }
            if (!seen.add(name)) {
                throw new ParameterException("appearance parameter '" + name + "' given twice");
            }
            values[i] = parse(name, value, types[i]);
        }
        try {
            return Appearance.class.getDeclaredConstructor(types).newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(String name, String value, Class<?> type) {
        if (type == boolean.class) {
            if (!value.equals("true") && !value.equals("false")) {
                throw new ParameterException(name + " must be true or false, got '" + value + "'");
            }
            return Boolean.parseBoolean(value);
        }
        try {
            if (type == int.class) {
                return Integer.parseInt(value);
            }
            double d = Double.parseDouble(value);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ParameterException(name + " must be a " + (type == int.class ? "whole number" : "number") + ", got '" + value + "'");
        }
    }

    /** All fields by name (truth.json's "appearance"). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (var c : Appearance.class.getRecordComponents()) {
            try {
                m.put(c.getName(), c.getAccessor().invoke(this));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }
}
