# Shared by the model build scripts (sourced): installing a trained model's weights and model.json.

# install_model MODEL_DIR OUT_DIR START: checks the weights stay under 10 MB, copies params.bin and
# model.json into OUT_DIR (each replaced atomically), and says how long since START (epoch seconds).
install_model() {
  local src="$1" dst="$2" start="$3" size_bytes
  size_bytes=$(stat -c %s "$src/params.bin")
  [ "$size_bytes" -le 10485760 ] || { echo "weights are $size_bytes bytes, over 10 MB" >&2; return 1; }
  mkdir -p "$dst"
  cp "$src/params.bin" "$dst/params.bin.tmp" && mv "$dst/params.bin.tmp" "$dst/params.bin"
  cp "$src/model.json" "$dst/model.json.tmp" && mv "$dst/model.json.tmp" "$dst/model.json"
  echo "wrote $dst (model.json, params.bin: $size_bytes bytes) in $(( $(date +%s) - start )) s" >&2
}
