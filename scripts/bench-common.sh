# Shared by scripts/bench-real.sh and scripts/bench-synth.sh (sourced): the training budget (env
# EPOCHS, STEPS, BATCH, PATCH), the poreseg launcher, and the per-architecture options every
# benchmark uses, so both tables train networks the same way.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ps="$here/poreseg"
epochs="${EPOCHS:-12}"
steps="${STEPS:-16}"
batch="${BATCH:-8}"
patch="${PATCH:-256}"

# Options of `poreseg train` for ARCH beyond the budget: the U-Net with BCE+Dice and augmentation,
# the paper network with the paper's BCE and no augmentation.
arch_options() {
  if [ "$1" = unet ]; then echo "--augment --loss bce+dice"; else echo "--no-augment --loss bce"; fi
}

# Trains ARCH into OUT with the common budget; further arguments go to `poreseg train`; LOG gets stderr.
train_model() {
  local arch="$1" out="$2" log="$3"; shift 3
  "$ps" train --arch "$arch" --out "$out" --epochs "$epochs" --steps "$steps" --batch "$batch" --patch "$patch" \
    --force $(arch_options "$arch") "$@" 2> "$log" >/dev/null
}
