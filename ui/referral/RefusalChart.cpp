#include "referral/RefusalChart.h"

#include "referral/ReferralText.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <map>

namespace flywheel::ui {

namespace {

/// A colour per reason the backend names, so a reason keeps its colour between redraws.
QColor reasonColor(const std::string &reason)
{
    static const std::map<std::string, QColor> colors = {
        {"ip_limit", QColor(0xcf, 0x22, 0x2e)},        {"device_limit", QColor(0xbf, 0x87, 0x00)},
        {"inviter_too_new", QColor(0x1f, 0x6f, 0xeb)}, {"inviter_inactive", QColor(0x6e, 0x77, 0x81)},
        {"self_invite", QColor(0x82, 0x50, 0xdf)},     {"cycle", QColor(0xbc, 0x4c, 0x00)},
        {"invalid_token", QColor(0x2d, 0xa4, 0x4e)},   {"replayed_token", QColor(0x1b, 0x7c, 0x83)},
        {"expired_token", QColor(0xbf, 0x39, 0x89)},
    };
    const auto it = colors.find(reason);
    return it != colors.end() ? it->second : QColor(0x57, 0x60, 0x6a);
}

} // namespace

RefusalChart::RefusalChart(QWidget *parent)
    : ChartPanel(tr("Refused invites per minute, last hour"), parent), m_totals(new QLabel(this))
{
    m_totals->setWordWrap(true);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    panelLayout()->addWidget(m_totals);
    showEmpty(tr("Waiting for the funnel…"));
}

QString RefusalChart::totalsText() const
{
    return m_totals->text();
}

void RefusalChart::setSnapshot(const v1::FunnelSnapshot &snapshot)
{
    // All time, most frequent first.
    std::vector<std::pair<std::string, qint64>> allTime;
    qint64 allTimeTotal = 0;
    for (const v1::RefusalCount &count : snapshot.refusals()) {
        if (count.count() > 0) {
            allTime.emplace_back(count.reason(), count.count());
            allTimeTotal += count.count();
        }
    }
    std::stable_sort(allTime.begin(), allTime.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    QStringList parts;
    for (const auto &[reason, count] : allTime)
        parts.append(tr("%1 %2").arg(ReferralText::refusalName(reason), QLocale().toString(count)));
    m_totals->setText(allTimeTotal == 0 ? tr("No invite has been refused since the programme started.")
                                        : tr("All time: %n refused invite(s): %1.", nullptr,
                                             int(std::min<qint64>(allTimeTotal, INT_MAX)))
                                              .arg(parts.join(QStringLiteral(" · "))));

    // The last hour: minute → reason → count, the minutes without refusals as zeros.
    const qint64 nowSeconds = snapshot.has_at() ? snapshot.at().seconds() : QDateTime::currentSecsSinceEpoch();
    const qint64 lastMinute = nowSeconds - nowSeconds % 60;
    const qint64 firstMinute = lastMinute - (kMinutes - 1) * 60;
    std::map<std::string, std::map<qint64, qint64>> byReason;
    m_recent.clear();
    for (const v1::RefusalBucket &bucket : snapshot.recent_refusals()) {
        const qint64 minute = bucket.start().seconds() - bucket.start().seconds() % 60;
        if (minute < firstMinute || minute > lastMinute)
            continue;
        for (const v1::RefusalCount &count : bucket.counts()) {
            if (count.count() <= 0)
                continue;
            byReason[count.reason()][minute] += count.count();
            m_recent[QString::fromStdString(count.reason())] += count.count();
        }
    }

    clear();
    if (byReason.empty()) {
        showEmpty(tr("No invite was refused in the last hour. When the anti-fraud checks refuse invites (an IP "
                     "address or device over its limit, an inviter too new or inactive, a self-invite, a bad or "
                     "reused token), the refusals per minute appear here by reason."));
        return;
    }
    hideEmpty();
    auto *time = new QDateTimeAxis();
    time->setFormat(QStringLiteral("HH:mm"));
    time->setRange(QDateTime::fromSecsSinceEpoch(firstMinute), QDateTime::fromSecsSinceEpoch(lastMinute));
    time->setTickCount(7);
    auto *values = new QValueAxis();
    values->setTitleText(tr("refusals per minute"));
    qint64 highest = 0;
    chart()->addAxis(time, Qt::AlignBottom);
    chart()->addAxis(values, Qt::AlignLeft);
    for (const auto &[reason, minutes] : byReason) {
        auto *series = new QLineSeries();
        qint64 total = 0;
        for (qint64 minute = firstMinute; minute <= lastMinute; minute += 60) {
            const auto it = minutes.find(minute);
            const qint64 count = it != minutes.end() ? it->second : 0;
            total += count;
            highest = std::max(highest, count);
            series->append(static_cast<qreal>(minute) * 1000.0, static_cast<qreal>(count));
        }
        series->setName(tr("%1 (%2)").arg(ReferralText::refusalName(reason), QLocale().toString(total)));
        QPen pen(reasonColor(reason));
        pen.setWidthF(2.0);
        series->setPen(pen);
        chart()->addSeries(series);
        series->attachAxis(time);
        series->attachAxis(values);
    }
    setCountRange(values, highest);
}

} // namespace flywheel::ui
