#include "connection/ConnectionProfile.h"

#include <QCoreApplication>

namespace flywheel::ui {

QColor ConnectionProfile::shownColour() const
{
    return colour.isValid() ? colour : defaultColour(environment);
}

QColor defaultColour(Environment environment)
{
    switch (environment) {
    case Environment::Production:
        return QColor(0xcf, 0x22, 0x2e);
    case Environment::Staging:
        return QColor(0xbf, 0x87, 0x00);
    case Environment::Local:
        return QColor(0x1a, 0x7f, 0x37);
    }
    return {};
}

QString environmentName(Environment environment)
{
    switch (environment) {
    case Environment::Production:
        return QCoreApplication::translate("flywheel::ui::ConnectionProfile", "production");
    case Environment::Staging:
        return QCoreApplication::translate("flywheel::ui::ConnectionProfile", "staging");
    case Environment::Local:
        return QCoreApplication::translate("flywheel::ui::ConnectionProfile", "local");
    }
    return {};
}

QString environmentKey(Environment environment)
{
    switch (environment) {
    case Environment::Production:
        return QStringLiteral("production");
    case Environment::Staging:
        return QStringLiteral("staging");
    case Environment::Local:
        return QStringLiteral("local");
    }
    return {};
}

std::optional<Environment> environmentFromKey(const QString &key)
{
    for (Environment e : {Environment::Production, Environment::Staging, Environment::Local}) {
        if (environmentKey(e) == key)
            return e;
    }
    return std::nullopt;
}

} // namespace flywheel::ui
