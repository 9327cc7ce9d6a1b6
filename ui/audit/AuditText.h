#pragma once

#include "flywheel/v1/audit.pb.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <string>

namespace flywheel::ui {

/// The audit log in words for operators: areas and roles in the operator's language,
/// and who made a change.
class AuditText final {
    Q_DECLARE_TR_FUNCTIONS(flywheel::ui::AuditText)

public:
    /// The areas AuditEntry.area names, in the order the filter offers them.
    static QStringList areas();
    /// "Pricing" for "pricing", ...; an area this console does not know, as given.
    static QString areaName(const QString &area);
    static QString areaName(const std::string &area);
    /// "Administrator" for "admin", ...; a role this console does not know, as given.
    static QString roleName(const std::string &role);
    /// "alice (Operator)"; "—" when the entry names nobody.
    static QString actor(const v1::AuditEntry &entry);
    /// "7", or "—" for a change that made no version (version 0).
    static QString version(qint64 version);
};

} // namespace flywheel::ui
