#include "connection/SecretStore.h"

namespace flywheel::ui {

SecretStore::~SecretStore() = default;

} // namespace flywheel::ui
