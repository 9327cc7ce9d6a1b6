#pragma once

#include <QLocale>
#include <QString>

namespace flywheel::app {

/// Where the console's compiled translations are embedded (flywheel_<lang>.qm).
inline constexpr char16_t kTranslationsDirectory[] = u":/i18n";

/// Installs the console's translation for the first of \a locale's UI languages
/// that has one, together with Qt's own (qtbase) translation for that same language
/// when it is installed. Returns the language installed, e.g. "zh_CN", or an empty
/// string when no translation matches and the console stays in English.
/// Needs a QCoreApplication; the translators belong to it.
QString installTranslations(const QLocale &locale);

} // namespace flywheel::app
