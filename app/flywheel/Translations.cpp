#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

#include <memory>

namespace flywheel::app {

namespace {

/// Hands \a translator to the application, which owns it from then on.
void install(std::unique_ptr<QTranslator> translator)
{
    translator->setParent(QCoreApplication::instance());
    QCoreApplication::installTranslator(translator.release());
}

} // namespace

QString installTranslations(const QLocale &locale)
{
    auto console = std::make_unique<QTranslator>();
    if (!console->load(locale, QStringLiteral("flywheel"), QStringLiteral("_"),
                       QString::fromUtf16(kTranslationsDirectory)))
        return {};
    const QString language = console->language();
    install(std::move(console));

    // Qt's own strings (the command line's --help, standard dialogs) in the language the
    // console speaks rather than in another of the user's languages: one language per window.
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(QStringLiteral("qtbase_") + language, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        install(std::move(qt));
    return language;
}

} // namespace flywheel::app
