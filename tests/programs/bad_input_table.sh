#!/usr/bin/env bash
# A table of bad inputs to kapitza, one row per case, beyond those of bad_inputs.sh: every
# entry of `kapitza --print-parameters` with a wrong type, a value out of range, empty or
# not finite, lists of the wrong length, unknown names; bad mode databases, Gmsh files and
# interface tables; settings that do not fit the materials or the dimension; and misuse of
# the command line. Each case must stop kapitza with a non-zero exit status and exactly one
# line "kapitza: error: ..." on stderr that names the problem, and write nothing: the
# working folder holds the same files before and after (no results file, no *.partial).
#
#   bash bad_input_table.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)
#   CASES=REGEX bash bad_input_table.sh ...      (only the rows whose name matches REGEX)

set -u
BUILD_DIR=$(cd "${1:?usage: bad_input_table.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: bad_input_table.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
NAME=bad-input-table
source "$(dirname "${BASH_SOURCE[0]}")/setup.bash"

# Bad mode databases, Gmsh files and interface tables, each made from valid ones.
"$MATERIAL" gray --out classical.h5 --mfp 1e-7 --polar 8 --azimuth 4 --statistics classical \
  >classical.log 2>&1 || fail "kapitza-material classical: $(cat classical.log)"
"$PYTHON" - <<'EOF' || fail "cannot write the bad files"
import shutil
import h5py
import numpy as np

def variant(name, change):
    shutil.copy("gray.h5", name + ".h5")
    with h5py.File(name + ".h5", "r+") as f:
        change(f)

def replace(name, data):
    def change(f):
        if name in f:
            del f[name]
        f[name] = data
    return change

def set_values(name, index, value):
    def change(f):
        data = f[name][...]
        data[index] = value
        f[name][...] = data
    return change

def set_attribute(name, value):
    def change(f):
        f.attrs[name] = value
    return change

def delete(name, attribute=False):
    def change(f):
        del (f.attrs if attribute else f)[name]
    return change

def chain(*changes):
    def change(f):
        for c in changes:
            c(f)
    return change

with h5py.File("gray.h5", "r") as f:
    n = f["omega"].shape[0]
    omega, tau = f["omega"][...], f["tau"][...]

open("empty.h5", "w").close()
open("empty.prm", "w").close()
variant("no-format", delete("format", attribute=True))
variant("wrong-format", set_attribute("format", "kapitza-results"))
variant("version-2", set_attribute("version", 2))
variant("no-temperature", delete("temperature", attribute=True))
variant("temperature-negative", set_attribute("temperature", -300.0))
variant("no-statistics", delete("statistics", attribute=True))
variant("statistics-fermi", set_attribute("statistics", "fermi"))
variant("no-material", delete("material", attribute=True))
variant("no-omega", delete("omega"))
variant("omega-2d", replace("omega", omega.reshape(-1, 1)))
variant("density-shape", replace("density", np.ones(n + 1)))
variant("tau-shape", replace("tau", tau[:-1]))
variant("omega-nan", set_values("omega", 0, np.nan))
variant("omega-zero", set_values("omega", 0, 0.0))
variant("velocity-nan", set_values("velocity", (1, 0), np.nan))
variant("velocity-inf", set_values("velocity", (1, 2), np.inf))
variant("density-nan", set_values("density", 2, np.nan))
variant("density-zero", set_values("density", 2, 0.0))
variant("tau-nan", set_values("tau", 4, np.nan))
variant("tau-inf", set_values("tau", 4, np.inf))
variant("tau-zero", set_values("tau", 4, 0.0))
variant("no-scattering", delete("tau"))
variant("no-modes", chain(*(replace(k, np.zeros((0,) + s)) for k, s in
                            [("omega", ()), ("velocity", (3,)), ("density", ()), ("tau", ())])))
variant("collision-shape", replace("collision", np.diag(1 / tau)[:, :-1]))
variant("collision-nan", replace("collision", np.diag(1 / tau) + np.nan))
variant("collision-diagonal", replace("collision", -np.diag(1 / tau)))
variant("collision-tau", replace("collision", np.diag(2 / tau)))
variant("wavevector-shape", replace("wavevector", np.zeros((n, 2))))
variant("branch-shape", replace("branch", np.zeros(n + 2, dtype=np.int32)))
variant("branch-negative", replace("branch", -np.ones(n, dtype=np.int32)))
variant("masses-2d", replace("masses", np.ones((2, 2))))
variant("masses-negative", replace("masses", -np.ones(2)))
variant("born-without-masses", replace("born_charges", np.zeros((2, 3, 3))))
variant("eigenvector-without-masses", replace("eigenvector", np.zeros((n, 2, 3), complex)))
variant("eigenvector-shape", chain(replace("masses", np.ones(2)),
                                   replace("eigenvector", np.zeros((n, 3, 3), complex))))
variant("eigenvector-norm", chain(replace("masses", np.ones(2)),
                                  replace("eigenvector", np.zeros((n, 2, 3), complex))))
variant("cell-shape", replace("cell", np.eye(2)))
variant("cell-nan", replace("cell", np.eye(3) * np.nan))
variant("cell-singular", replace("cell", np.ones((3, 3))))
def one_way(f):
    v = f["velocity"][...]
    v[:, 0] = np.abs(v[:, 0]) + 1.0
    f["velocity"][...] = v
variant("net-current", one_way)

# Gmsh: two 100 nm squares side by side (tags: Left 0, Right 1, Lateral 2; volumes 0, 1).
nodes = ("$Nodes\n6\n1 0 0 0\n2 1e-7 0 0\n3 2e-7 0 0\n4 0 1e-7 0\n5 1e-7 1e-7 0\n"
         "6 2e-7 1e-7 0\n$EndNodes\n")
walls = "2 1 2 1 2 3 6\n3 1 2 2 3 1 2\n4 1 2 2 3 2 3\n5 1 2 2 3 4 5\n6 1 2 2 3 5 6\n"
def msh(version, elements, volume_b=1, count=None):
    lines = elements.count("\n") + 2
    return (f"$MeshFormat\n{version} 0 8\n$EndMeshFormat\n" + nodes +
            f"$Elements\n{count or lines}\n" + elements +
            f"7 3 2 0 10 1 2 5 4\n8 3 2 {volume_b} 11 2 3 6 5\n$EndElements\n")
left = "1 1 2 0 1 4 1\n"
files = {
    "squares.msh": msh("2.2", left + walls),
    "untagged.msh": msh("2.2", walls),
    "tag-beyond.msh": msh("2.2", left + walls, volume_b=3),
    "format-3.msh": msh("3.0", left + walls),
    "truncated.msh": msh("2.2", left + walls)[:260],
    "malformed.msh": ("$MeshFormat\n4.1 0 8\n$EndMeshFormat\n$Entities\n0 3 2 0\n"
                      "1 0 0 0 0 1e-7 0 x\n$EndEntities\n"),
    "no-format.msh": nodes,
}
for name, text in files.items():
    with open(name, "w") as out:
        out.write(text)

# Interface tables (GiftBTE transmissivities): a word, one block only.
tables = {
    "table-word.txt": "0 # 0 -> 1\n0.5\nhalf\n1 # 1 -> 0\n0.5\n",
    "table-one-block.txt": "0 # 0 -> 1\n0.5\n",
    "table-long.txt": "0 # 0 -> 1\n" + "0.5\n" * 7 + "1 # 1 -> 0\n" + "0.5\n" * 7,
    "table-headless.txt": "0.5\n0 # 0 -> 1\n0.5\n1 # 1 -> 0\n0.5\n",
    "table-above-one.txt": "0 # 0 -> 1\n1.5\n1 # 1 -> 0\n0.5\n",
    "table-one-row.txt": "0 # 0 -> 1\n0.5\n1 # 1 -> 0\n0.5\n",
    "table-unequal.txt": "0 # 0 -> 1\n0.5\n0.5\n1 # 1 -> 0\n0.5\n",
}
for name, text in tables.items():
    with open(name, "w") as out:
        out.write(text)
EOF
mkdir a-folder a-folder.h5 a-folder.msh

# The valid case runs, and so does the Gmsh mesh the Gmsh rows spoil (materials a | b).
AB='Materials/Names = a, b ; Materials/Files = gray.h5, gray.h5 ; Mesh/Layers = a:5e-7:10,b:5e-7:10'
TWO_D='Dimension = 2 ; Mesh/Lateral size = 1e-7'
GMSH='Dimension = 2 ; Mesh/Generator = gmsh ; Boundaries/Lateral = diffuse'
write_case valid.prm "Output/File = results-valid.h5"
IFS=';' read -ra list <<<"$AB ; $GMSH ; Mesh/File = squares.msh ; Output/File = results-gmsh.h5"
write_case valid-gmsh.prm "${list[@]}"
for input in valid valid-gmsh; do
  "$KAPITZA" $input.prm >$input.out 2>$input.err || fail "$input failed (exit $?): $(cat $input.err)"
  [ -s $input.err ] && fail "$input wrote to stderr: $(cat $input.err)"
done
[ -f results-valid.h5 ] && [ -f results-gmsh.h5 ] || fail "the valid cases wrote no results"
echo "ok: the valid layer and Gmsh cases run"

# expect_error NAME PATTERN INPUT...: kapitza INPUT... must fail with one line
# "kapitza: error: ..." matching PATTERN (extended regex) and leave the folder as it was.
# A case that does not is reported and counted; the script fails at the end.
failures=0
bad() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
expect_error() {
  local name=$1 pattern=$2
  shift 2
  local before after status lines
  before=$(ls -A | grep -v "^$name\.\(out\|err\)$")
  "$KAPITZA" "$@" >"$name.out" 2>"$name.err"
  status=$?
  lines=$(grep -c '' "$name.err")
  after=$(ls -A | grep -v "^$name\.\(out\|err\)$")
  if [ "$status" -eq 0 ]; then
    bad "$name: exit status 0"
  elif [ "$lines" -ne 1 ]; then
    bad "$name: stderr has $lines lines, expected 1: $(head -c 600 "$name.err")"
  elif ! grep -q '^kapitza: error: ' "$name.err"; then
    bad "$name: stderr does not start with 'kapitza: error:': $(cat "$name.err")"
  elif ! grep -Eq -- "$pattern" "$name.err"; then
    bad "$name: the error does not name the problem (/$pattern/): $(cat "$name.err")"
  elif [ "$before" != "$after" ]; then
    bad "$name: left $(comm -13 <(echo "$before") <(echo "$after"))"
  else
    echo "ok: $name (exit $status): $(cat "$name.err")"
  fi
  # Whatever a failed case wrote must not spoil the next cases.
  comm -13 <(echo "$before") <(echo "$after") | while read -r left; do rm -rf -- "$left"; done
}

# The table: NAME | PATTERN | CHANGES to the valid input, separated by ';' (see
# write_case in setup.bash), or "args: WORDS" for a command line of kapitza; the columns are split at
# " | ", so a PATTERN may hold alternatives (a|b). Shorthands: @AB@ two
# materials a, b (both gray.h5), @2D@ a 2D layer, @GMSH@ the 2D Gmsh generator.
cases=0
while read -r line; do
  [ -z "$line" ] || [[ $line == \#* ]] && continue
  name=${line%% | *} rest=${line#* | }
  name=$(echo $name) pattern=$(echo "${rest%% | *}" | sed 's/ *$//') changes=${rest#* | }
  [ -n "${CASES:-}" ] && ! [[ $name =~ $CASES ]] && continue
  changes=${changes//@AB@/$AB}
  changes=${changes//@2D@/$TWO_D}
  changes=${changes//@GMSH@/$GMSH}
  changes=$(echo "$changes" | sed 's/^ *//')
  if [[ $changes == args:* ]]; then
    read -ra words <<<"${changes#args:}"
    expect_error "$name" "$pattern" "${words[@]}"
  else
    IFS=';' read -ra list <<<"$changes"
    write_case "$name.prm" "Output/File = results-$name.h5" "${list[@]}"
    expect_error "$name" "$pattern" "$name.prm"
  fi
  cases=$((cases + 1))
done <<'EOF_TABLE'
# Command line
cli-no-argument       | usage: kapitza INPUT.prm                 | args:
cli-extra-argument    | usage: kapitza INPUT.prm                 | args: valid.prm extra
cli-two-inputs        | usage: kapitza INPUT.prm                 | args: valid.prm valid.prm
cli-unknown-option    | usage: kapitza INPUT.prm                 | args: --print-parameter
cli-print-extra       | usage: kapitza INPUT.prm                 | args: --print-parameters valid.prm
cli-hdf5-as-input     | gray\.h5                                 | args: gray.h5
cli-folder            | a-folder.*(folder|directory)             | args: a-folder
cli-empty-file        | empty\.prm.*empty                        | args: empty.prm
# Syntax of the input file
syntax-no-equals      | Line <[0-9]+> of file <syntax-no-equals.prm>: Invalid format of 'set' | +set Dimension 2
syntax-subsection     | Solvers                                  | +subsection Solvers ; +end
syntax-unclosed       | unequal numbers of 'subsection' and 'end' .*<syntax-unclosed.prm> | +subsection Solver
syntax-extra-end      | end                                      | +end
syntax-garbage        | hello world                              | +hello world
syntax-entry-typo     | Tolerence                                | Solver/Tolerence = 1e-8
# Dimension
dimension-zero        | Dimension                                | Dimension = 0
dimension-four        | Dimension                                | Dimension = 4
dimension-word        | Dimension                                | Dimension = two
dimension-empty       | Dimension                                | Dimension =
dimension-fraction    | Dimension                                | Dimension = 1.5
dimension-2d-no-size  | Lateral size must be positive            | Dimension = 2
dimension-3d-no-size  | Lateral size must be positive            | Dimension = 3
# Materials
names-empty           | Names and Files                          | Materials/Names =
files-empty           | Names and Files                          | Materials/Files =
names-more            | Names and Files                          | Materials/Names = gray, other
files-more            | Names and Files                          | Materials/Files = gray.h5, gray.h5
names-duplicate       | Names must be distinct.*'gray'           | Materials/Names = gray, gray ; Materials/Files = gray.h5, gray.h5
names-slash           | no '/'.*'a/b'                            | Materials/Names = a/b ; Mesh/Layers = a/b:1e-6:20
orient-count          | Orientations needs one entry per material \(2\), not 1 | @AB@ ; Materials/Orientations = aligned
orient-right-angle    | Orientations of gray.*not at right angles | Materials/Orientations = 1 1 0, 1 0 0
orient-two-numbers    | Orientations of gray.*three numbers      | Materials/Orientations = 1 1, 0 0 1
orient-zero           | Orientations of gray.*not all zero       | Materials/Orientations = 0 0 0, 1 0 0
orient-one-direction  | Orientations of gray.*two directions     | Materials/Orientations = 1 0 0
orient-word           | Orientations of gray.*two directions     | Materials/Orientations = sideways
file-folder           | a-folder\.h5                             | Materials/Files = a-folder.h5
file-empty            | empty\.h5                                | Materials/Files = empty.h5
file-second-missing   | missing\.h5                              | @AB@ ; Materials/Files = gray.h5, missing.h5
file-results          | results-valid\.h5.*format attribute      | Materials/Files = results-valid.h5
file-statistics-fermi | statistics-fermi\.h5.*fermi              | Materials/Files = statistics-fermi.h5
file-no-format        | no-format\.h5.*format attribute          | Materials/Files = no-format.h5
file-wrong-format     | wrong-format\.h5.*format attribute       | Materials/Files = wrong-format.h5
file-version-2        | version-2\.h5.*version                   | Materials/Files = version-2.h5
file-no-temperature   | no-temperature\.h5.*temperature          | Materials/Files = no-temperature.h5
file-temperature-neg  | temperature-negative\.h5.*temperature    | Materials/Files = temperature-negative.h5
file-no-statistics    | no-statistics\.h5.*statistics            | Materials/Files = no-statistics.h5
file-no-material      | no-material\.h5.*material                | Materials/Files = no-material.h5
file-no-omega         | no-omega\.h5.*omega                      | Materials/Files = no-omega.h5
file-omega-2d         | omega-2d\.h5.*'omega'.*one-dimensional   | Materials/Files = omega-2d.h5
file-density-shape    | density-shape\.h5.*'density'.*shape      | Materials/Files = density-shape.h5
file-tau-shape        | tau-shape\.h5.*'tau'.*shape              | Materials/Files = tau-shape.h5
file-omega-nan        | omega-nan\.h5.*omega must be finite      | Materials/Files = omega-nan.h5
file-omega-zero       | omega-zero\.h5.*omega.*positive          | Materials/Files = omega-zero.h5
file-velocity-nan     | velocity-nan\.h5.*velocity must be finite | Materials/Files = velocity-nan.h5
file-velocity-inf     | velocity-inf\.h5.*velocity must be finite | Materials/Files = velocity-inf.h5
file-density-nan      | density-nan\.h5.*density must be finite  | Materials/Files = density-nan.h5
file-density-zero     | density-zero\.h5.*density.*positive      | Materials/Files = density-zero.h5
file-tau-nan          | tau-nan\.h5.*tau must be finite          | Materials/Files = tau-nan.h5
file-tau-inf          | tau-inf\.h5.*tau must be finite          | Materials/Files = tau-inf.h5
file-tau-zero         | tau-zero\.h5.*tau.*positive              | Materials/Files = tau-zero.h5
file-no-scattering    | no-scattering\.h5.*'tau' or 'collision'  | Materials/Files = no-scattering.h5
file-no-modes         | no-modes\.h5.*no modes                   | Materials/Files = no-modes.h5
file-collision-shape  | collision-shape\.h5.*'collision'.*shape  | Materials/Files = collision-shape.h5
file-collision-nan    | collision-nan\.h5.*not finite            | Materials/Files = collision-nan.h5
file-collision-diag   | collision-diagonal\.h5.*non-positive diagonal | Materials/Files = collision-diagonal.h5
file-collision-tau    | collision-tau\.h5.*differs from 1/tau    | Materials/Files = collision-tau.h5
file-wavevector-shape | wavevector-shape\.h5.*'wavevector'.*shape | Materials/Files = wavevector-shape.h5
file-branch-shape     | branch-shape\.h5.*'branch'.*shape        | Materials/Files = branch-shape.h5
file-branch-negative  | branch-negative\.h5.*branch indices      | Materials/Files = branch-negative.h5
file-masses-2d        | masses-2d\.h5.*'masses'.*one-dimensional | Materials/Files = masses-2d.h5
file-masses-negative  | masses-negative\.h5.*masses.*positive    | Materials/Files = masses-negative.h5
file-born-no-masses   | born-without-masses\.h5.*needs the dataset 'masses' | Materials/Files = born-without-masses.h5
file-eigen-no-masses  | eigenvector-without-masses\.h5.*needs the dataset 'masses' | Materials/Files = eigenvector-without-masses.h5
file-eigen-shape      | eigenvector-shape\.h5.*'eigenvector'.*shape | Materials/Files = eigenvector-shape.h5
file-eigen-norm       | eigenvector-norm\.h5.*normalized         | Materials/Files = eigenvector-norm.h5
file-cell-shape       | cell-shape\.h5.*'cell'.*shape            | Materials/Files = cell-shape.h5
file-cell-nan         | cell-nan\.h5.*cell must be finite        | Materials/Files = cell-nan.h5
file-cell-singular    | cell-singular\.h5.*linearly dependent    | Materials/Files = cell-singular.h5
file-net-current      | net-current\.h5.*net heat current        | Materials/Files = net-current.h5
statistics-mismatch   | [Ss]tatistics                            | Solver/Statistics = classical
statistics-file-classical | [Ss]tatistics                        | Materials/Files = classical.h5
# Mesh
generator-unknown     | Generator                                | Mesh/Generator = box
generator-empty       | Generator                                | Mesh/Generator =
layers-empty          | Mesh/Layers is empty                     | Mesh/Layers =
layers-two-fields     | 'gray:1e-6'.*name:thickness:cells        | Mesh/Layers = gray:1e-6
layers-four-fields    | 'gray:1e-6:20:3'.*name:thickness:cells   | Mesh/Layers = gray:1e-6:20:3
layers-thickness-word | 'gray:thick:20'.*thickness               | Mesh/Layers = gray:thick:20
layers-thickness-unit | 'gray:1e-6m:20'.*thickness               | Mesh/Layers = gray:1e-6m:20
layers-thickness-zero | 'gray:0:20'.*positive thickness          | Mesh/Layers = gray:0:20
layers-thickness-neg  | 'gray:-1e-6:20'.*positive thickness      | Mesh/Layers = gray:-1e-6:20
layers-thickness-nan  | 'gray:nan:20'.*thickness                 | Mesh/Layers = gray:nan:20
layers-thickness-inf  | 'gray:inf:20'.*thickness                 | Mesh/Layers = gray:inf:20
layers-cells-fraction | 'gray:1e-6:2.5'.*whole number            | Mesh/Layers = gray:1e-6:2.5
layers-cells-negative | 'gray:1e-6:-3'.*cell                     | Mesh/Layers = gray:1e-6:-3
layers-cells-word     | 'gray:1e-6:many'.*whole number           | Mesh/Layers = gray:1e-6:many
layers-cells-overflow | 'gray:1e-6:99999999999999999999'.*cell   | Mesh/Layers = gray:1e-6:99999999999999999999
layers-empty-name     | unknown material ''                      | Mesh/Layers = :1e-6:20
grading-below-one     | Grading ratio                            | Mesh/Grading ratio = 0.5
grading-word          | Grading ratio                            | Mesh/Grading ratio = steep
grading-nan           | Grading ratio                            | Mesh/Grading ratio = nan
grading-inf           | Grading ratio                            | Mesh/Grading ratio = inf
lateral-size-negative | Lateral size                             | @2D@ ; Mesh/Lateral size = -1e-7
lateral-size-nan      | Lateral size                             | @2D@ ; Mesh/Lateral size = nan
lateral-size-inf      | Lateral size                             | @2D@ ; Mesh/Lateral size = inf
lateral-cells-zero    | Lateral cells                            | @2D@ ; Mesh/Lateral cells = 0
lateral-cells-word    | Lateral cells                            | @2D@ ; Mesh/Lateral cells = few
lateral-grading-low   | Lateral grading                          | @2D@ ; Mesh/Lateral grading = 0.9
lateral-grading-empty | Lateral grading                          | @2D@ ; Mesh/Lateral grading =
ball-no-radius        | ball needs.*Radius                       | Dimension = 2 ; Mesh/Generator = ball
ball-1d               | ball needs dimension 2 or 3              | Mesh/Generator = ball ; Mesh/Radius = 1e-7
ball-inner-too-big    | Inner radius < Radius                    | Dimension = 2 ; Mesh/Generator = ball ; Mesh/Radius = 1e-7 ; Mesh/Inner radius = 1e-7
ball-radius-negative  | Radius                                   | Dimension = 2 ; Mesh/Generator = ball ; Mesh/Radius = -1e-7
ball-refinements-13   | Refinements                              | Dimension = 2 ; Mesh/Generator = ball ; Mesh/Radius = 1e-7 ; Mesh/Refinements = 13
ball-refinements-neg  | Refinements                              | Dimension = 2 ; Mesh/Generator = ball ; Mesh/Radius = 1e-7 ; Mesh/Refinements = -1
gmsh-missing          | nowhere\.msh                             | @GMSH@ ; Mesh/File = nowhere.msh
gmsh-not-msh          | valid\.prm.*(Gmsh|format)                | @GMSH@ ; Mesh/File = valid.prm
gmsh-no-format        | no-format\.msh.*format                   | @GMSH@ ; Mesh/File = no-format.msh
gmsh-format-3         | format-3\.msh.*'3\.0' is not supported   | @GMSH@ ; Mesh/File = format-3.msh
gmsh-untagged         | untagged\.msh: 1 boundary faces have no physical tag | @GMSH@ ; Mesh/File = untagged.msh
gmsh-tag-beyond       | tag-beyond\.msh: physical volume tag 3 is not a material index | @AB@ ; @GMSH@ ; Mesh/File = tag-beyond.msh
gmsh-second-material  | squares\.msh: physical volume tag 1 is not a material index | @GMSH@ ; Mesh/File = squares.msh
gmsh-malformed        | malformed\.msh.*malformed                | @GMSH@ ; Mesh/File = malformed.msh
gmsh-no-file          | Mesh/File                                | @GMSH@
gmsh-folder           | a-folder\.msh.*(folder|directory)        | @GMSH@ ; Mesh/File = a-folder.msh
gmsh-truncated        | truncated\.msh                           | @GMSH@ ; Mesh/File = truncated.msh
gmsh-in-1d            | squares\.msh.*(dimension|Dimension|1D)   | Mesh/Generator = gmsh ; Mesh/File = squares.msh
gmsh-2d-file-in-3d    | squares\.msh.*(dimension|Dimension|3D)   | @GMSH@ ; Dimension = 3 ; Mesh/File = squares.msh
# Boundaries
right-missing         | Boundaries/Right is required             | !Boundaries/Right
boundaries-missing    | Boundaries/Left is required              | !Boundaries
left-empty            | Boundaries/Left is required              | Boundaries/Left =
lateral-unknown       | Lateral.*'sticky'                        | @2D@ ; Boundaries/Lateral = sticky
right-nan             | 'nan' is not a finite number             | Boundaries/Right = thermalizing nan
right-inf             | 'inf' is not a finite number             | Boundaries/Right = thermalizing inf
left-zero             | needs a positive wall temperature        | Boundaries/Left = thermalizing 0
left-no-temperature   | needs a positive wall temperature        | Boundaries/Left = thermalizing
left-capitalized      | Left.*'Thermalizing'                     | Boundaries/Left = Thermalizing 301
specular-negative     | specularity p in \[0,1\]                 | Boundaries/Left = specular -0.1
specular-word         | 'shiny'                                  | Boundaries/Left = specular shiny
specular-no-value     | specular                                 | Boundaries/Left = specular
periodic-word         | 'hot' is not a finite number             | Boundaries/Left = periodic hot ; Boundaries/Right = periodic hot
periodic-two-jumps    | different periodic jumps                 | Boundaries/Left = periodic 1 ; Boundaries/Right = periodic 2
lateral-periodic-jump | lateral periodic jump is not supported   | @2D@ ; Boundaries/Lateral = periodic 1
boundary-bins-negative | Frequency bins                          | Boundaries/Frequency bins = -1
boundary-bins-word    | Frequency bins                           | Boundaries/Frequency bins = many
# Interfaces (two materials a | b)
model-unknown         | Interfaces/Model.*'xmm'                  | @AB@ ; Interfaces/Model = xmm
model-empty           | Interfaces/Model                         | @AB@ ; Interfaces/Model =
amm-no-densities      | amm needs Interfaces/Mass densities      | @AB@ ; Interfaces/Model = amm
amm-densities-count   | Mass densities.*one.*per material        | @AB@ ; Interfaces/Model = amm ; Interfaces/Mass densities = 2330
amm-densities-word    | Mass densities                           | @AB@ ; Interfaces/Model = amm ; Interfaces/Mass densities = 2330, heavy
amm-densities-negative | Mass densities                          | @AB@ ; Interfaces/Model = amm ; Interfaces/Mass densities = -2330, 2330
amm-densities-nan     | Mass densities                           | @AB@ ; Interfaces/Model = amm ; Interfaces/Mass densities = nan, 2330
smm-gray              | smm needs wavevectors.*'gray'            | @AB@ ; Interfaces/Model = smm ; Interfaces/Lattice constants = 5.43e-10, 5.66e-10
smm-arrays-4          | Dislocation arrays                       | @AB@ ; Interfaces/Model = smm ; Interfaces/Dislocation arrays = 4
smm-background        | Background                               | @AB@ ; Interfaces/Model = smm ; Interfaces/Background = specular
smm-poisson-high      | Poisson ratio                            | @AB@ ; Interfaces/Model = smm ; Interfaces/Poisson ratio = 0.7
smm-poisson-nan       | Poisson ratio                            | @AB@ ; Interfaces/Model = smm ; Interfaces/Poisson ratio = nan
smm-burgers-negative  | Burgers vector                           | @AB@ ; Interfaces/Model = smm ; Interfaces/Burgers vector = -1e-10
smm-spacing-negative  | Dislocation spacing                      | @AB@ ; Interfaces/Model = smm ; Interfaces/Dislocation spacing = -1e-9
smm-line-two          | Dislocation line                         | @AB@ ; Interfaces/Model = smm ; Interfaces/Dislocation line = 1, 0
smm-grueneisen-count  | Grueneisen parameters                    | @AB@ ; Interfaces/Model = smm ; Interfaces/Grueneisen parameters = 1
smm-lattice-count     | Lattice constants                        | @AB@ ; Interfaces/Model = smm ; Interfaces/Lattice constants = 5.4e-10
smm-classes-no-sets   | Re-emission = classes needs.*Spectral   | @AB@ ; Interfaces/Model = smm ; Interfaces/Lattice constants = 5.43e-10, 5.66e-10 ; Interfaces/Re-emission = classes
smm-class-width-modes | Class width is given                     | @AB@ ; Interfaces/Model = smm ; Interfaces/Lattice constants = 5.43e-10, 5.66e-10 ; Interfaces/Class width = 1e9
amm-refinement-no-sets | Normal refinement is given              | @AB@ ; Interfaces/Model = amm ; Interfaces/Mass densities = 2329, 2329 ; Interfaces/Normal refinement = 2
amm-refinement-neg    | Normal refinement                        | @AB@ ; Interfaces/Model = amm ; Interfaces/Mass densities = 2329, 2329 ; Interfaces/Normal refinement = -1
smm-resolution-neg    | Momentum resolution                      | @AB@ ; Interfaces/Model = smm ; Interfaces/Momentum resolution = -1
table-no-file         | table needs a FILE                       | @AB@ ; Interfaces/Model = table
table-folder          | a-folder.*(folder|directory)             | @AB@ ; Interfaces/Model = table a-folder
table-missing         | nowhere\.txt.*cannot open                | @AB@ ; Interfaces/Model = table nowhere.txt
table-word            | table-word\.txt: line 3 is not a number  | @AB@ ; Interfaces/Model = table table-word.txt
table-one-block       | table-one-block\.txt: needs two blocks   | @AB@ ; Interfaces/Model = table table-one-block.txt
table-headless        | table-headless\.txt: line 1 comes before the first block header | @AB@ ; Interfaces/Model = table table-headless.txt
table-above-one       | table-above-one\.txt: line 2 is not a transmissivity in \[0,1\] | @AB@ ; Interfaces/Model = table table-above-one.txt
table-unequal         | table-unequal\.txt: needs two blocks .* of equal | @AB@ ; Interfaces/Model = table table-unequal.txt
table-three-materials | join materials 0 and 1 only | Materials/Names = a, b, c ; Materials/Files = gray.h5, gray.h5, gray.h5 ; Mesh/Layers = a:4e-7:8,b:4e-7:8,c:4e-7:8 ; Interfaces/Model = table table-one-row.txt
table-bands           | interface table has 7 bands, the materials 1 and 1 | @AB@ ; Interfaces/Model = table table-long.txt
interface-bins-zero   | Frequency bins                           | @AB@ ; Interfaces/Frequency bins = 0
fit-window-reversed   | Fit window must be two increasing        | @AB@ ; Interfaces/Fit window = 0.75, 0.25
fit-window-one        | Fit window                               | @AB@ ; Interfaces/Fit window = 0.5
fit-window-range      | Fit window                               | @AB@ ; Interfaces/Fit window = 0.25, 1.5
fit-window-nan        | Fit window                               | @AB@ ; Interfaces/Fit window = nan, 0.75
# Solver
t0-negative           | Reference temperature                    | Solver/Reference temperature = -300
t0-zero               | Reference temperature                    | Solver/Reference temperature = 0
t0-nan                | Reference temperature                    | Solver/Reference temperature = nan
t0-word               | Reference temperature                    | Solver/Reference temperature = room
t0-empty              | Reference temperature                    | Solver/Reference temperature =
statistics-unknown    | Statistics                               | Solver/Statistics = fermi
method-unknown        | Method                                   | Solver/Method = direct
events-negative       | Events                                   | Solver/Events = -1
events-exponent       | Events                                   | Solver/Events = 1e3
tolerance-negative    | Tolerance                                | Solver/Tolerance = -1e-10
tolerance-nan         | Tolerance                                | Solver/Tolerance = nan
tolerance-inf         | Tolerance                                | Solver/Tolerance = inf
tolerance-zero        | Tolerance                                | Solver/Tolerance = 0
iterations-zero       | Maximum iterations                       | Solver/Maximum iterations = 0
restart-zero          | Krylov restart                           | Solver/Krylov restart = 0
preconditioner-unknown | Preconditioner                          | Solver/Preconditioner = jacobi
degree-five           | Finite element degree                    | Solver/Finite element degree = 5
degree-negative       | Finite element degree                    | Solver/Finite element degree = -1
memory-negative       | Memory limit                             | Solver/Memory limit = -1
memory-nan            | Memory limit                             | Solver/Memory limit = nan
verbose-word          | Verbose                                  | Solver/Verbose = maybe
cache-negative        | Cell matrix cache                        | Solver/Cell matrix cache = -1
cache-inf             | Cell matrix cache                        | Solver/Cell matrix cache = inf
# Sources
sources-profile-unknown | Profile                                | Sources/Profile = laser
sources-width-zero    | Sources/Width.*positive                  | Sources/Profile = gaussian ; Sources/Density = 1e15
sources-width-nan     | Width                                    | Sources/Profile = gaussian ; Sources/Density = 1e15 ; Sources/Width = nan
sources-density-zero  | Sources/Density.*non-zero                | Sources/Profile = uniform
sources-density-inf   | Density                                  | Sources/Profile = uniform ; Sources/Density = inf
sources-density-word  | Density                                  | Sources/Profile = uniform ; Sources/Density = hot
sources-centre-two    | Centre                                   | Sources/Profile = gaussian ; Sources/Density = 1e15 ; Sources/Width = 1e-7 ; Sources/Centre = 5e-7, 0
sources-centre-y-1d   | Sources/Centre: its y component.*dimension 1 | Sources/Profile = gaussian ; Sources/Density = 1e15 ; Sources/Width = 1e-7 ; Sources/Centre = 5e-7, 1e-7, 0
sources-region-unknown | Sources/Region 'steel' is not a material | Sources/Profile = uniform ; Sources/Density = 1e15 ; Sources/Region = steel
sources-function-bad  | Sources/Function '1e15 \* \(x' is not an expression | Sources/Profile = function ; Sources/Function = 1e15 * (x
sources-function-var  | Sources/Function 'q \* 2' is not an expression | Sources/Profile = function ; Sources/Function = q * 2
sources-function-empty | Sources/Function is empty               | Sources/Profile = function
sources-function-nan  | Sources/Function 'log\(x - 1e-6\)' is not finite at | Sources/Profile = function ; Sources/Function = log(x - 1e-6)
sources-unused-width  | Sources/Width is not used by Profile = uniform | Sources/Profile = uniform ; Sources/Density = 1e15 ; Sources/Width = 1e-7
sources-no-profile    | Sources/Density is not used by Profile = none | Sources/Density = 1e15
sources-closed-system | Sources/.*needs a thermalizing wall      | Sources/Profile = uniform ; Sources/Density = 1e15 ; Boundaries/Left = diffuse ; Boundaries/Right = specular 1
sources-periodic-jump | Sources/.*needs a thermalizing wall      | Sources/Profile = uniform ; Sources/Density = 1e15 ; Boundaries/Left = periodic 1 ; Boundaries/Right = periodic 1
# Transient
transient-no-sources  | Method = transient needs Sources         | Solver/Method = transient ; Transient/Time step = 1e-11 ; Transient/Steps = 10
transient-dt-zero     | Transient/Time step must be a positive   | Solver/Method = transient ; Sources/Profile = uniform ; Sources/Density = 1e15 ; Transient/Steps = 10
transient-dt-negative | Transient/Time step must be a positive   | Solver/Method = transient ; Sources/Profile = uniform ; Sources/Density = 1e15 ; Transient/Time step = -1e-11 ; Transient/Steps = 10
transient-dt-nan      | Time step                                | Solver/Method = transient ; Sources/Profile = uniform ; Sources/Density = 1e15 ; Transient/Time step = nan ; Transient/Steps = 10
transient-steps-zero  | Transient/Steps must be at least 1       | Solver/Method = transient ; Sources/Profile = uniform ; Sources/Density = 1e15 ; Transient/Time step = 1e-11
transient-every-zero  | Output every                             | Solver/Method = transient ; Sources/Profile = uniform ; Sources/Density = 1e15 ; Transient/Time step = 1e-11 ; Transient/Steps = 10 ; Transient/Output every = 0
transient-initial     | Initial population                       | Solver/Method = transient ; Sources/Profile = uniform ; Sources/Density = 1e15 ; Transient/Time step = 1e-11 ; Transient/Steps = 10 ; Transient/Initial population = hot
transient-events      | Solver/Events is not used by Method = transient | Solver/Method = transient ; Sources/Profile = uniform ; Sources/Density = 1e15 ; Transient/Time step = 1e-11 ; Transient/Steps = 10 ; Solver/Events = 2
transient-unused      | Transient/Time step and Steps are used only by Solver/Method = transient | Transient/Time step = 1e-11
# Output
line-points-zero      | Line points                              | Output/Line points = 0
line-points-word      | Line points                              | Output/Line points = many
line-zoom-two         | Line zoom needs                          | Output/Line zoom = 5e-7, 1e-8
line-zoom-four        | Line zoom                                | Output/Line zoom = 5e-7, 1e-8, 10, 3
line-zoom-half-width  | Line zoom needs                          | Output/Line zoom = 5e-7, -1e-8, 10
line-zoom-one-point   | Line zoom needs                          | Output/Line zoom = 5e-7, 1e-8, 1
line-zoom-fraction    | Line zoom needs                          | Output/Line zoom = 5e-7, 1e-8, 2.5
line-zoom-nan         | Line zoom                                | Output/Line zoom = nan, 1e-8, 10
output-bins-zero      | Frequency bins                           | Output/Frequency bins = 0
write-vtu-word        | Write vtu                                | Output/Write vtu = maybe
output-empty          | Output/File                              | Output/File =
output-folder-is-file | valid\.prm.*(not a folder|not a directory) | Output/File = valid.prm/out.h5
output-is-input       | output-is-input\.prm                     | Output/File = output-is-input.prm
line-zoom-outside     | Line zoom                                | Output/Line zoom = 5e-6, 1e-8, 10
# EELS
eels-enabled-word     | Enabled                                  | EELS/Enabled = sometimes
eels-resolution-zero  | Energy resolution and Energy step must be positive | EELS/Enabled = true ; EELS/Energy resolution = 0
eels-step-zero        | Energy resolution and Energy step must be positive | EELS/Enabled = true ; EELS/Energy step = 0
eels-resolution-neg   | Energy resolution                        | EELS/Enabled = true ; EELS/Energy resolution = -0.01
eels-step-nan         | Energy step                              | EELS/Enabled = true ; EELS/Energy step = nan
eels-weights-unknown  | Weights                                  | EELS/Enabled = true ; EELS/Weights = charge
eels-collection       | Collection 'sideways' must be on-axis or off-axis | EELS/Enabled = true ; EELS/Collection = sideways
eels-on-axis-angle    | on-axis takes no angle                   | EELS/Enabled = true ; EELS/Collection = on-axis 30
eels-off-axis-100     | angle must lie in \[0, 90\]              | EELS/Enabled = true ; EELS/Collection = off-axis 100
eels-off-axis-word    | Collection angle needs a number, got 'steep' | EELS/Enabled = true ; EELS/Collection = off-axis steep
eels-probe-negative   | Probe size                               | EELS/Enabled = true ; EELS/Probe size = -1e-9
eels-fit-one          | Fit window                               | EELS/Enabled = true ; EELS/Fit window = 0.055
eels-fit-reversed     | Fit window needs 0 <= E1 < E2            | EELS/Enabled = true ; EELS/Fit window = 0.06, 0.05
eels-fit-word         | Fit window needs a number, got 'low'     | EELS/Enabled = true ; EELS/Fit window = low, top
eels-window-no-colons | window 'TO' must be name:E1:E2           | EELS/Enabled = true ; EELS/Windows = TO
eels-window-word      | window 'TO:a:b'                          | EELS/Enabled = true ; EELS/Windows = TO:a:b
eels-window-negative  | window 'TO:-0.01:0.02' needs 0 <= E1 < E2 | EELS/Enabled = true ; EELS/Windows = TO:-0.01:0.02
eels-classical        | EELS needs Bose-Einstein                 | EELS/Enabled = true ; Materials/Files = classical.h5 ; Solver/Statistics = classical
EOF_TABLE
[ "$failures" -eq 0 ] || fail "$failures of $cases bad inputs not handled"
echo "ok: all $cases bad inputs refused"
