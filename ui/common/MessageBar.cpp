#include "common/MessageBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace flywheel::ui {

MessageBar::MessageBar(QWidget *parent) : QFrame(parent), m_label(new QLabel(this)), m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("messageBar"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close->setText(QStringLiteral("×"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Dismiss this message"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void MessageBar::showMessage(const QString &text, bool error)
{
    m_error = error && !text.isEmpty();
    // The same colours as the pages' banners: red for what went wrong, green for what was done.
    setStyleSheet(m_error ? QStringLiteral("#messageBar { background: #ffebe9; border: 1px solid #ff8182; "
                                           "border-radius: 4px; } #messageBar QLabel { color: #82071e; "
                                           "font-weight: bold; }")
                          : QStringLiteral("#messageBar { background: #dafbe1; border: 1px solid #4ac26b; "
                                           "border-radius: 4px; } #messageBar QLabel { color: #116329; }"));
    m_label->setText(text);
    setVisible(!text.isEmpty());
}

void MessageBar::clearMessage()
{
    showMessage(QString(), false);
}

QString MessageBar::text() const
{
    return m_label->text();
}

} // namespace flywheel::ui
