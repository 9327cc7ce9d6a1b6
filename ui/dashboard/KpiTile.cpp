#include "dashboard/KpiTile.h"

#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include <cmath>

namespace flywheel::ui {

KpiTile::KpiTile(const QString &title, const QString &help, QWidget *parent)
    : QFrame(parent), m_title(new QLabel(title, this)), m_value(new QLabel(this)), m_change(new QLabel(this))
{
    setObjectName(QStringLiteral("kpiTile"));
    setFrameShape(QFrame::StyledPanel);
    setToolTip(help);
    setStyleSheet(QStringLiteral("#kpiTile { background: palette(base); border: 1px solid palette(mid); "
                                 "border-radius: 6px; }"));
    m_title->setStyleSheet(QStringLiteral("color: palette(placeholder-text); font-weight: 600;"));
    QFont valueFont = m_value->font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 1.9);
    valueFont.setBold(true);
    m_value->setFont(valueFont);
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 10, 14, 10);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_value);
    layout->addWidget(m_change);
    setEmpty(tr("waiting for data"));
}

void KpiTile::setValue(const QString &value, double change, const QString &comparison)
{
    m_value->setText(value);
    if (std::isnan(change)) {
        m_change->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
        m_change->setText(tr("no data in the %1").arg(comparison));
        return;
    }
    const bool up = change > 0.0005;
    const bool down = change < -0.0005;
    const QString arrow = up ? QStringLiteral("▲") : (down ? QStringLiteral("▼") : QStringLiteral("■"));
    const QString color = up ? QStringLiteral("#1a7f37") : (down ? QStringLiteral("#cf222e") : QStringLiteral("gray"));
    m_change->setStyleSheet(QStringLiteral("color: %1;").arg(color));
    m_change->setText(tr("%1 %2% vs %3").arg(arrow, QLocale().toString(std::abs(change) * 100.0, 'f', 1), comparison));
}

void KpiTile::setEmpty(const QString &reason)
{
    m_value->setText(QStringLiteral("—"));
    m_change->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    m_change->setText(reason);
}

QString KpiTile::valueText() const
{
    return m_value->text();
}

} // namespace flywheel::ui
