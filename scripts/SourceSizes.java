import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Sizes of the Java sources below a folder, for the architecture limits (docs/architecture.md):
 * files over N lines and methods (constructors included) over M lines, a method's length being
 * the lines from its first modifier or annotation to its closing brace. Uses the JDK's own parser
 * (javac's tree API), so braces in strings and comments do not confuse it.
 *
 * <pre>java scripts/SourceSizes.java src/main/java [fileLimit=400] [methodLimit=80]</pre>
 */
public class SourceSizes {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "src/main/java");
        int fileLimit = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        int methodLimit = args.length > 2 ? Integer.parseInt(args[2]) : 80;
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        int bigFiles = 0;
        for (Path f : files) {
            long lines = Files.readAllLines(f).size();
            if (lines > fileLimit) {
                System.out.printf("file   %5d  %s%n", lines, root.relativize(f));
                bigFiles++;
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null);
        JavacTask task = (JavacTask) javac.getTask(null, fm, d -> { }, List.of("-proc:none"), null,
                fm.getJavaFileObjectsFromPaths(files));
        Trees trees = Trees.instance(task);
        SourcePositions pos = trees.getSourcePositions();
        List<String> longMethods = new ArrayList<>();
        int[] methods = {0};
        for (CompilationUnitTree unit : task.parse()) {
            new TreePathScanner<Void, Void>() {
                String owner = "";
                @Override public Void visitClass(ClassTree c, Void v) {
                    String saved = owner;
                    owner = owner.isEmpty() ? c.getSimpleName().toString() : owner + "." + c.getSimpleName();
                    super.visitClass(c, v);
                    owner = saved;
                    return null;
                }
                @Override public Void visitMethod(MethodTree m, Void v) {
                    if (m.getBody() != null) {
                        methods[0]++;
                        long start = unit.getLineMap().getLineNumber(pos.getStartPosition(unit, m));
                        long end = unit.getLineMap().getLineNumber(pos.getEndPosition(unit, m));
                        long n = end - start + 1;
                        if (n > methodLimit) {
                            String name = m.getName().contentEquals("<init>") ? "(constructor)" : m.getName().toString();
                            longMethods.add(String.format("method %5d  %s.%s  (%s:%d)", n, owner, name,
                                    root.toAbsolutePath().relativize(Path.of(unit.getSourceFile().toUri())), start));
                        }
                    }
                    return super.visitMethod(m, v);
                }
            }.scan(unit, null);
        }
        longMethods.forEach(System.out::println);
        System.out.printf("%d files, %d over %d lines; %d methods, %d over %d lines%n",
                files.size(), bigFiles, fileLimit, methods[0], longMethods.size(), methodLimit);
    }
}
