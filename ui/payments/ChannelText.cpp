#include "payments/ChannelText.h"

#include "common/Format.h"
#include "payments/PaymentText.h"

#include <QLocale>
#include <QSet>

namespace flywheel::ui {

QString ChannelText::unimplemented()
{
    return tr("This backend has no payment channels (it is an older version): the rest of the console works as "
              "before.");
}

QStringList ChannelText::problems(const v1::ChannelConfig &config)
{
    QStringList out;
    QSet<QString> seen;
    for (const v1::Channel &channel : config.channels()) {
        const QString id = QString::fromStdString(channel.id());
        if (seen.contains(id))
            out.append(tr("Two channels have the id “%1”; ids must be unique.").arg(id));
        seen.insert(id);
    }
    return out;
}

QString ChannelText::describe(const v1::Channel &channel)
{
    return tr("%1 (%2), %3, priority %4, fee %5")
        .arg(QString::fromStdString(channel.id()), PaymentText::providerName(channel.provider()),
             channel.enabled() ? tr("enabled") : tr("disabled"), QLocale().toString(channel.priority()),
             PaymentText::basisPoints(channel.fee_bp()));
}

QStringList ChannelText::diff(const v1::ChannelConfig &before, const v1::ChannelConfig &after)
{
    QStringList out;
    if (before.success_window_minutes() != after.success_window_minutes())
        out.append(tr("success rate window %1 → %2 min")
                       .arg(before.success_window_minutes())
                       .arg(after.success_window_minutes()));
    if (before.query_after_seconds() != after.query_after_seconds())
        out.append(tr("query after %1 → %2 s").arg(before.query_after_seconds()).arg(after.query_after_seconds()));
    for (const v1::Channel &old : before.channels()) {
        if (!PaymentText::findChannel(after, old.id()))
            out.append(tr("%1 removed").arg(QString::fromStdString(old.id())));
    }
    for (const v1::Channel &now : after.channels()) {
        const QString id = QString::fromStdString(now.id());
        const v1::Channel *old = PaymentText::findChannel(before, now.id());
        if (!old) {
            out.append(tr("%1 added").arg(describe(now)));
            continue;
        }
        const QString currency = now.currencies_size() > 0 ? QString::fromStdString(now.currencies(0))
                                                           : QStringLiteral("CNY");
        QStringList changes;
        const auto change = [&changes](const QString &what, const QString &from, const QString &to) {
            if (from != to)
                changes.append(tr("%1 %2 → %3").arg(what, from, to));
        };
        change(tr("enabled"), old->enabled() ? tr("yes") : tr("no"), now.enabled() ? tr("yes") : tr("no"));
        change(tr("priority"), QLocale().toString(old->priority()), QLocale().toString(now.priority()));
        change(tr("fee"), PaymentText::basisPoints(old->fee_bp()), PaymentText::basisPoints(now.fee_bp()));
        change(tr("minimum"), formatMoney(old->min_amount_minor(), currency),
               formatMoney(now.min_amount_minor(), currency));
        change(tr("maximum"), formatMoney(old->max_amount_minor(), currency),
               formatMoney(now.max_amount_minor(), currency));
        change(tr("success floor"), PaymentText::basisPoints(old->success_floor_bp()),
               PaymentText::basisPoints(now.success_floor_bp()));
        // The rest by name only: endpoints, merchant ids and paths need not be repeated.
        v1::Channel oldRest = *old;
        v1::Channel nowRest = now;
        QStringList credentials;
        for (const v1::Credential &credential : now.credentials()) {
            std::string before;
            for (const v1::Credential &earlier : old->credentials()) {
                if (earlier.name() == credential.name())
                    before = earlier.path();
            }
            if (before != credential.path())
                credentials.append(PaymentText::credentialName(credential.name()));
        }
        if (!credentials.isEmpty())
            changes.append(tr("new path for %1").arg(credentials.join(QStringLiteral(", "))));
        for (v1::Channel *c : {&oldRest, &nowRest}) {
            c->clear_credentials();
            c->set_enabled(false);
            c->set_priority(0);
            c->set_fee_bp(0);
            c->set_min_amount_minor(0);
            c->set_max_amount_minor(0);
            c->set_success_floor_bp(0);
        }
        if (oldRest.SerializeAsString() != nowRest.SerializeAsString())
            changes.append(tr("other settings"));
        if (!changes.isEmpty())
            out.append(tr("%1: %2").arg(id, changes.join(QStringLiteral(", "))));
    }
    return out;
}

} // namespace flywheel::ui
