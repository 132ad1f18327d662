@echo off
rem poreseg launcher for Windows: builds the runnable jar when it is missing, then runs it.
rem (The bash launcher ./poreseg also rebuilds when sources changed; here delete target\poreseg.jar to rebuild.)
setlocal
set "here=%~dp0"
set "jar=%here%target\poreseg.jar"
if not exist "%jar%" goto build
if not exist "%here%target\lib" goto build
goto run
:build
echo poreseg: building the jar (first run; tests skipped)... 1>&2
pushd "%here%"
call mvn -B -q -DskipTests package > "%here%target.build.log" 2>&1
if errorlevel 1 (
  popd
  echo poreseg: build failed, see %here%target.build.log 1>&2
  exit /b 1
)
popd
del "%here%target.build.log" 2>nul
:run
rem a fixed 64 MB young generation reuses the same heap pages (see the ./poreseg launcher)
java -Xmn64m %PORESEG_JAVA_OPTS% -Djava.awt.headless=true -Dai.djl.offline=true -jar "%jar%" %*
exit /b %ERRORLEVEL%
